using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Reactor.Selectors;
using Reactor.Selectors.IoUring;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The provided-buffer ring publishes only a window of its free buffers, the most recently returned
/// first, so receives keep landing in the few buffers used last (still in cache) instead of cycling
/// through all of them; a receive that finds the window empty widens it, and nothing is lost on the way.
/// </summary>
public sealed partial class IoUringCompletionTests
{
    [Test]
    public void OneReceiveAtATimeKeepsLandingInTheBufferJustReturned()
    {
        _selector.UseCompletionBuffers(count: 64, size: 256);
        (int local, int peer) = _pairs.Create();
        Assert.That(Streams.TryClaimReceive(local), Is.True);
        _selector.Register(local, Interest.Read, 7);
        var buffers = Streams.Buffers!;
        Assert.That(buffers.Window, Is.EqualTo(ProvidedBufferRing.InitialWindow));

        var used = new HashSet<int>();
        for (int i = 0; i < 3 * buffers.Count; i++)
        {
            Send(peer, $"message {i}");
            WaitUntil(() => Streams.HeldCount(local) > 0, $"message {i} held");
            Assert.That(Streams.TakeReceived(local, out var data, out _), Is.EqualTo(CompletionStreams.Received.Data));
            Assert.That(Encoding.ASCII.GetString(data), Is.EqualTo($"message {i}"));
            used.Add(IdOf(buffers, data));
            Streams.ReturnReceived(local);
        }
        // Published in ring order, all 64 would each have been used three times; the window keeps to its
        // 16 plus the one published in place of a buffer taken before that buffer comes back.
        Assert.That(used, Has.Count.LessThanOrEqualTo(ProvidedBufferRing.InitialWindow + 1));
        Assert.That(buffers.Window, Is.EqualTo(ProvidedBufferRing.InitialWindow), "never starved, never widened");
        Assert.That(buffers.Available, Is.EqualTo(buffers.Count));
    }

    [Test]
    public void ReceivesThatEmptyTheWindowWidenItAndLoseNothing()
    {
        _selector.UseCompletionBuffers(count: 64, size: 16, receiveLimit: 64);
        var pairs = Enumerable.Range(0, 12).Select(_ => _pairs.Create()).ToList();
        var expected = new Dictionary<int, string>();
        for (int i = 0; i < pairs.Count; i++)
        {
            var (local, peer) = pairs[i];
            Streams.TryClaimReceive(local);
            _selector.Register(local, Interest.Read, i);
            // 80 bytes each: five 16-byte buffers per socket, 60 in all, against a window of 16.
            expected[local] = string.Concat(Enumerable.Range(0, 12).Select(n => $"<{i:D2}:{n:D2}>"))[..80];
            Send(peer, expected[local]);
            _pairs.Close(peer);
        }

        var buffers = Streams.Buffers!;
        var received = pairs.ToDictionary(p => p.Local, _ => new StringBuilder());
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow + Deadline;
        while (ended.Count < pairs.Count)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out; {ended.Count} of {pairs.Count} sockets complete");
            _selector.Wait(_events, TimeSpan.FromMilliseconds(20));
            foreach (var (local, _) in pairs)
            {
                while (true)
                {
                    var result = Streams.TakeReceived(local, out var data, out _);
                    if (result == CompletionStreams.Received.Data)
                    {
                        received[local].Append(Encoding.ASCII.GetString(data));
                        Streams.ReturnReceived(local);
                        continue;
                    }
                    if (result != CompletionStreams.Received.Nothing) ended.Add(local);
                    break;
                }
            }
        }

        foreach (var (local, _) in pairs) Assert.That(received[local].ToString(), Is.EqualTo(expected[local]), "every byte, in order");
        Assert.That(Streams.Starvations, Is.GreaterThanOrEqualTo(1), "the window ran dry at least once");
        Assert.That(buffers.Window, Is.GreaterThan(ProvidedBufferRing.InitialWindow), "and was widened");
        Assert.That(buffers.Available, Is.EqualTo(buffers.Count));
    }

    private static unsafe int IdOf(ProvidedBufferRing buffers, ReadOnlySpan<byte> data)
    {
        byte* first = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffers.Filled(0, 1)));
        byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data));
        return (int)((start - first) / buffers.BufferSize);
    }
}
