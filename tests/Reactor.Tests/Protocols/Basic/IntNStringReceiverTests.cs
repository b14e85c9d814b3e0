using System.Buffers.Binary;
using Reactor.Protocols.Basic;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

// Ports of test_protocols.py IntNTestCaseMixin (Int8/16/32 receivers) plus the chunking property.
[TestFixture(1)]
[TestFixture(2)]
[TestFixture(4)]
public class IntNStringReceiverTests(int prefixLength)
{
    private IntNStringReceiver Create() => prefixLength switch
    {
        1 => new RecordingInt8(),
        2 => new RecordingInt16(),
        _ => new RecordingInt32(),
    };

    private byte[] Prefix(long length)
    {
        var buffer = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)length);
        return buffer[(4 - prefixLength)..];
    }

    private byte[] Frame(byte[] payload) => [.. Prefix(payload.Length), .. payload];

    private static List<byte[]> Strings(IntNStringReceiver r) => ((IStringRecorder)r).Strings;

    [Test]
    public void EveryChunkingYieldsTheSameStrings()
    {
        byte[][] payloads = ["a"u8.ToArray(), [], "hello world"u8.ToArray(), Enumerable.Range(0, 250).Select(i => (byte)i).ToArray(), [0, 0, 0]];
        var stream = payloads.SelectMany(Frame).ToArray();
        ChunkingProperty.AssertEveryChunking(Create, stream, Strings, payloads);
        var shortPayloads = new[] { "ab"u8.ToArray(), "c"u8.ToArray(), [], "defgh"u8.ToArray() };
        ChunkingProperty.AssertEveryChunking(Create, shortPayloads.SelectMany(Frame).ToArray(), Strings, shortPayloads);
    }

    [Test]
    public void LengthLimitExceededIsReportedBeforeThePayload()
    {
        // test_lengthLimitExceeded / test_longStringNotDelivered.
        var t = new StringTransport();
        var r = Create();
        r.MaxLength = 10;
        r.MakeConnection(t);
        r.DataReceived(Prefix(11));
        Assert.That(Exceeded(r), Is.EqualTo(new long[] { 11 }));
        Assert.That(t.Disconnecting, Is.True);
        r.DataReceived(new byte[11]);
        Assert.That(Strings(r), Is.Empty);
    }

    private static List<long> Exceeded(IntNStringReceiver r) => r switch
    {
        RecordingInt8 a => a.Exceeded,
        RecordingInt16 b => b.Exceeded,
        RecordingInt32 c => c.Exceeded,
        _ => throw new ArgumentException("unknown receiver"),
    };

    [Test]
    public void AnOversizedPayloadIsSkippedUnbufferedWhenTheConnectionStaysOpen()
    {
        var r = Create();
        switch (r)
        {
            case RecordingInt8 a: a.DisconnectOnExceeded = false; break;
            case RecordingInt16 b: b.DisconnectOnExceeded = false; break;
            case RecordingInt32 c: c.DisconnectOnExceeded = false; break;
        }
        r.MaxLength = 20;
        r.MakeConnection(new StringTransport());
        var big = new byte[prefixLength == 1 ? 200 : 5000];
        byte[] stream = [.. Frame("ok"u8.ToArray()), .. Frame(big), .. Frame("after"u8.ToArray())];
        for (var i = 0; i < stream.Length; i += 7) r.DataReceived(stream.AsSpan(i, Math.Min(7, stream.Length - i)));
        Assert.That(Strings(r).Select(s => System.Text.Encoding.ASCII.GetString(s)), Is.EqualTo(new[] { "ok", "after" }));
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(r.MaxLength));
    }

    [Test]
    public void PartialFramesNeverGrowTheBufferPastMaxLength()
    {
        var r = Create();
        r.MaxLength = prefixLength == 1 ? 255 : 3000;
        r.MakeConnection(new StringTransport());
        var payload = new byte[r.MaxLength];
        var stream = Frame(payload);
        for (var i = 0; i < stream.Length; i += 3) r.DataReceived(stream.AsSpan(i, Math.Min(3, stream.Length - i)));
        Assert.That(Strings(r), Has.Count.EqualTo(1));
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(r.MaxLength));
    }

    [Test]
    public void SendStringWritesABigEndianPrefix()
    {
        // test_sendString / the struct formats !B, !H, !I.
        var t = new StringTransport();
        var r = Create();
        r.MakeConnection(t);
        r.SendString("foo"u8);
        Assert.That(t.Value(), Is.EqualTo(Frame("foo"u8.ToArray())));
    }

    [Test]
    public void SendStringRefusesWhatThePrefixCannotDescribe()
    {
        // test_tooLongSend: a string of 2**(8*prefixLength) bytes cannot be sent.
        var r = Create();
        r.MakeConnection(new StringTransport());
        Assert.That(r.MaxStringLength, Is.EqualTo((1L << (8 * prefixLength)) - 1));
        // A 4 GiB span cannot be allocated in a test; the same check is exercised by the 1- and 2-byte prefixes.
        if (prefixLength == 4) return;
        var tooLong = new byte[1 << (8 * prefixLength)];
        var error = Assert.Throws<StringTooLongError>(() => r.SendString(tooLong));
        Assert.That(error!.ParamName, Is.EqualTo("data"));
    }

    [Test]
    public void PauseHoldsStringsBackUntilResumed()
    {
        var t = new StringTransport();
        var r = Create();
        r.MakeConnection(t);
        byte[] stream = [.. Frame("a"u8.ToArray()), .. Frame("b"u8.ToArray())];
        r.PauseProducing();
        r.DataReceived(stream);
        Assert.That(Strings(r), Is.Empty);
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Paused));
        r.ResumeProducing();
        Assert.That(Strings(r), Has.Count.EqualTo(2));
    }

    [Test]
    public void StopsDeliveringOnceTheTransportIsDisconnecting()
    {
        var t = new StringTransport();
        var r = new RecordingInt32 { OnString = (p, _) => p.Transport.LoseConnection() };
        r.MakeConnection(t);
        var frame = new byte[] { 0, 0, 0, 1, (byte)'x' };
        r.DataReceived([.. frame, .. frame]);
        Assert.That(r.Strings, Has.Count.EqualTo(1));
    }
}
