using System.Buffers.Binary;
using System.Text;
using CsCheck;
using Reactor.Fuzz.Targets;

namespace Reactor.Tests.Fuzz;

/// <summary>
/// Property tests (CsCheck): however a byte stream is cut into reads, every receiver delivers the
/// same frames, the same errors and the same close. Streams are built from well-formed frames
/// (so the frames really are exercised) with arbitrary bytes mixed in; the cuts are arbitrary.
/// </summary>
public sealed class ChunkingPropertyTests
{
    private const int Iterations = 300;

    // A fixed seed keeps the suite deterministic; CsCheck_Seed / CsCheck_Iter in the environment
    // explore further (and the fuzz harnesses run the same oracle on AFL's inputs). This seed found
    // the LineOnlyReceiver cut-dependence fixed with this test.
    private const string Seed = "dlPthnl5uZv1";

    private static readonly Gen<byte[]> Payload = Gen.Byte.Array[0, 120];

    /// <summary>Chunk sizes covering a stream of any length: 1 to 40 bytes each.</summary>
    private static readonly Gen<int[]> CutSizes = Gen.Int[1, 40].Array[1, 400];

    private static Gen<byte[]> Framed(Func<byte[], byte[]> frame) =>
        Gen.Select(Payload.Array[0, 12], Gen.Byte.Array[0, 8], (payloads, junk) =>
            payloads.SelectMany(frame).Concat(junk).ToArray());

    private static byte[] Prefixed(byte[] payload, int prefixLength)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)payload.Length);
        return prefix[(4 - prefixLength)..].Concat(payload).ToArray();
    }

    private static void SameForAnyCut(StreamTarget target, Gen<byte[]> streams) =>
        Gen.Select(streams, CutSizes).Sample((stream, sizes) =>
        {
            var whole = target.RunOnce(stream, [stream.Length]);
            var cut = target.RunOnce(stream, Cover(sizes, stream.Length));
            whole.AssertSameAs(cut, target.Name);
        }, seed: Environment.GetEnvironmentVariable("CsCheck_Seed") ?? Seed, iter: Iterations);

    /// <summary>Cuts <paramref name="length"/> bytes with the sizes given, repeating them as needed.</summary>
    private static int[] Cover(int[] sizes, int length)
    {
        var result = new List<int>();
        for (int done = 0, i = 0; done < length; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], length - done);
            result.Add(size);
            done += size;
        }
        return result.ToArray();
    }

    [Test]
    public void LineReceiverDeliversTheSameLinesForAnyCut()
    {
        var lines = Gen.OneOf(
            Gen.String[Gen.Char['a', 'z'], 0, 80].Select(s => Encoding.ASCII.GetBytes(s + "\r\n")),
            Gen.Const(Encoding.ASCII.GetBytes("pause\r\n")),
            Gen.Int[1, 30].Select(n => Encoding.ASCII.GetBytes($"raw {n}\r\n")));
        var streams = Gen.Select(lines.Array[0, 15], Gen.Byte.Array[0, 20], (l, junk) => l.SelectMany(x => x).Concat(junk).ToArray());
        SameForAnyCut(new LineReceiverTarget(), streams);
    }

    [Test]
    public void LineOnlyReceiverDeliversTheSameLinesForAnyCut() =>
        SameForAnyCut(new LineOnlyReceiverTarget(), Framed(p => p.Where(b => b != '\n').Concat("\r\n"u8.ToArray()).ToArray()));

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void IntNStringReceiverDeliversTheSameStringsForAnyCut(int prefixLength) =>
        SameForAnyCut(new IntNStringReceiverTarget(prefixLength), Framed(p => Prefixed(p, prefixLength)));

    [Test]
    public void NetstringReceiverDeliversTheSameStringsForAnyCut() =>
        SameForAnyCut(new NetstringReceiverTarget(), Framed(p => Encoding.ASCII.GetBytes($"{p.Length}:").Concat(p).Append((byte)',').ToArray()));

    [Test]
    public void FixedLengthReceiverDeliversTheSameFramesForAnyCut() =>
        SameForAnyCut(new FixedLengthReceiverTarget(), Gen.Byte.Array[0, 300]);

    [Test]
    public void StatefulProtocolDeliversTheSameChunksForAnyCut() =>
        SameForAnyCut(new StatefulProtocolTarget(), Framed(p => new[] { (byte)Math.Min(p.Length, 39) }.Concat(p.Take(40)).ToArray()));

    [Test]
    public void HttpHelloAnswersTheSameForAnyCut()
    {
        var requests = Gen.OneOf(
            Gen.Const("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            Gen.Const("HEAD / HTTP/1.0\r\n\r\n"),
            Gen.String[Gen.Char['a', 'z'], 0, 20].Select(b => $"POST /p HTTP/1.1\r\nContent-Length: {b.Length}\r\n\r\n{b}"),
            Gen.Const("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
            Gen.String[Gen.Char[' ', '~'], 0, 30].Select(s => s + "\r\n"));
        var streams = requests.Array[0, 8].Select(r => Encoding.ASCII.GetBytes(string.Concat(r)));
        SameForAnyCut(new HttpHelloRequestTarget(), streams);
    }
}
