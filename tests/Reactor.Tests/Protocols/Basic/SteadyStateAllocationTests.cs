using System.Buffers.Binary;
using System.Text;
using Reactor.Protocols;
using Reactor.Protocols.Basic;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

/// <summary>
/// Parsing allocates nothing per frame once warmed up: frames are spans of the read or of a
/// buffer reused for the connection's life. Measured with the thread's allocation counter around
/// the parsing only, after a warm-up pass that sizes the buffer.
/// </summary>
public class SteadyStateAllocationTests
{
    private sealed class Lines : LineReceiver
    {
        public long Count;
        public override void LineReceived(ReadOnlySpan<byte> line) => Count++;
    }

    private sealed class OnlyLines : LineOnlyReceiver
    {
        public long Count;
        public override void LineReceived(ReadOnlySpan<byte> line) => Count++;
    }

    private sealed class Int32s : Int32StringReceiver
    {
        public long Count;
        public override void StringReceived(ReadOnlySpan<byte> data) => Count++;
    }

    private sealed class Netstrings : NetstringReceiver
    {
        public long Count;
        public override void StringReceived(ReadOnlySpan<byte> data) => Count++;
    }

    private sealed class Fixed() : FixedLengthReceiver(37)
    {
        public long Count;
        public override void FrameReceived(ReadOnlySpan<byte> frame) => Count++;
    }

    private static byte[] Repeat(byte[] frame, int times) => Enumerable.Range(0, times).SelectMany(_ => frame).ToArray();

    private static long AllocatedWhileFeeding(IProtocol receiver, byte[] stream)
    {
        receiver.MakeConnection(new StringTransport());
        // Reads of 1000 bytes cut frames at varying offsets.
        void Feed()
        {
            for (var at = 0; at < stream.Length; at += 1000) receiver.DataReceived(stream.AsSpan(at, Math.Min(1000, stream.Length - at)));
        }
        Feed();
        // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++) Feed();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void LineReceiver()
    {
        var r = new Lines();
        Assert.That(AllocatedWhileFeeding(r, Repeat("0123456789abcdefghi\r\n"u8.ToArray(), 2000)), Is.Zero);
        Assert.That(r.Count, Is.EqualTo(12000));
    }

    [Test]
    public void LineOnlyReceiver()
    {
        var r = new OnlyLines();
        Assert.That(AllocatedWhileFeeding(r, Repeat("0123456789abcdefghi\r\n"u8.ToArray(), 2000)), Is.Zero);
        Assert.That(r.Count, Is.EqualTo(12000));
    }

    [Test]
    public void Int32StringReceiver()
    {
        var frame = new byte[4 + 33];
        BinaryPrimitives.WriteInt32BigEndian(frame, 33);
        var r = new Int32s();
        Assert.That(AllocatedWhileFeeding(r, Repeat(frame, 2000)), Is.Zero);
        Assert.That(r.Count, Is.EqualTo(12000));
    }

    [Test]
    public void NetstringReceiver()
    {
        var r = new Netstrings();
        Assert.That(AllocatedWhileFeeding(r, Repeat(Encoding.ASCII.GetBytes("33:" + new string('n', 33) + ","), 2000)), Is.Zero);
        Assert.That(r.Count, Is.EqualTo(12000));
    }

    [Test]
    public void FixedLengthReceiver()
    {
        var r = new Fixed();
        Assert.That(AllocatedWhileFeeding(r, new byte[37 * 2000]), Is.Zero);
        Assert.That(r.Count, Is.EqualTo(12000));
    }
}
