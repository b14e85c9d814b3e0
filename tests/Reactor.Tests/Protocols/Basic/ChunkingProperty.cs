using Reactor.Protocols;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

/// <summary>
/// The split-anywhere property every framing receiver must have (Twisted's IProtocol docstring:
/// "unit tests for protocols call through to this method with differing chunk sizes, down to one
/// byte at a time"): the same stream, however it is cut into reads, yields the same frames.
/// </summary>
internal static class ChunkingProperty
{
    /// <summary>
    /// Feeds <paramref name="stream"/> to a fresh receiver whole, cut in two at every boundary,
    /// cut in three at every pair of boundaries (short streams), one byte at a time, and in
    /// seeded random chunk sizes, and checks the frames each time.
    /// </summary>
    public static void AssertEveryChunking<T>(Func<T> create, byte[] stream, Func<T, List<byte[]>> frames, IReadOnlyList<byte[]> expected)
        where T : IProtocol
    {
        Check(create, frames, expected, [stream], "whole");
        for (var i = 1; i < stream.Length; i++)
        {
            Check(create, frames, expected, [stream[..i], stream[i..]], $"split at {i}");
        }
        if (stream.Length <= 120)
        {
            for (var i = 1; i < stream.Length; i++)
            {
                for (var j = i + 1; j < stream.Length; j++)
                {
                    Check(create, frames, expected, [stream[..i], stream[i..j], stream[j..]], $"split at {i} and {j}");
                }
            }
        }
        Check(create, frames, expected, stream.Select(b => new[] { b }).ToArray(), "one byte at a time");
        var random = new Random(1234);
        for (var round = 0; round < 20; round++)
        {
            var chunks = new List<byte[]>();
            for (var at = 0; at < stream.Length;)
            {
                var n = Math.Min(random.Next(1, 40), stream.Length - at);
                chunks.Add(stream[at..(at + n)]);
                at += n;
            }
            Check(create, frames, expected, chunks, $"random chunking {round}");
        }
    }

    private static void Check<T>(Func<T> create, Func<T, List<byte[]>> frames, IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> chunks, string how)
        where T : IProtocol
    {
        var receiver = create();
        receiver.MakeConnection(new StringTransport());
        foreach (var chunk in chunks) receiver.DataReceived(chunk);
        var got = frames(receiver);
        Assert.That(got, Has.Count.EqualTo(expected.Count), $"frame count, fed {how}");
        for (var k = 0; k < expected.Count; k++)
        {
            Assert.That(got[k], Is.EqualTo(expected[k]), $"frame {k}, fed {how}");
        }
    }
}
