using System.Net;
using Reactor.Native;
using Reactor.Net.Internal;

namespace Reactor.Tests.Net;

public sealed class OutputBufferTests
{
    [Test]
    public unsafe void AppendsAcrossSegmentsAndConsumesInOrder()
    {
        var buffer = new OutputBuffer();
        var data = new byte[OutputSegment.Size * 2 + 100];
        for (var i = 0; i < data.Length; i++) data[i] = (byte)i;
        buffer.Append(data.AsSpan(0, 10));
        buffer.Append(data.AsSpan(10));
        Assert.That(buffer.Length, Is.EqualTo(data.Length));

        Span<IoVec> vectors = stackalloc IoVec[8];
        var count = buffer.Gather(vectors);
        Assert.That(count, Is.EqualTo(3));
        var gathered = new List<byte>();
        for (var i = 0; i < count; i++) gathered.AddRange(new ReadOnlySpan<byte>(vectors[i].Base, (int)vectors[i].Length).ToArray());
        Assert.That(gathered, Is.EqualTo(data));

        buffer.Consume(OutputSegment.Size + 5);
        Assert.That(buffer.Length, Is.EqualTo(data.Length - OutputSegment.Size - 5));
        Assert.That(buffer.Head!.Pending[0], Is.EqualTo(data[OutputSegment.Size + 5]));
        buffer.Consume(buffer.Length);
        Assert.That(buffer.IsEmpty, Is.True);
        Assert.That(buffer.Head, Is.Null, "an empty buffer holds no segment");
    }

    [Test]
    public void ClearDropsEverything()
    {
        var buffer = new OutputBuffer();
        buffer.Append(new byte[50_000]);
        buffer.Clear();
        Assert.That((buffer.Length, buffer.Head), Is.EqualTo((0L, (OutputSegment?)null)));
    }

    [TestCase("127.0.0.1", 80)]
    [TestCase("10.1.2.3", 65535)]
    [TestCase("::1", 443)]
    [TestCase("fe80::1%2", 8080)]
    public void SocketAddressesRoundTrip(string address, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        Span<byte> raw = stackalloc byte[SocketAddressCodec.MaxLength];
        var length = SocketAddressCodec.Write(endPoint, raw);
        Assert.That(length, Is.EqualTo(endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 16 : 28));
        Assert.That(SocketAddressCodec.Read(raw), Is.EqualTo(endPoint));
        // The layout the runtime itself uses for the same address.
        var reference = endPoint.Serialize();
        for (var i = 0; i < length; i++) Assert.That(raw[i], Is.EqualTo(reference[i]), $"byte {i}");
    }
}
