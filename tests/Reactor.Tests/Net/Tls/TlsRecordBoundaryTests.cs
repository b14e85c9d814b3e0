using Reactor.Net.Tls.Internal;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// What StopTls relies on: with record limiting on, SslStream is handed one TLS record at most per
/// read, so plaintext that follows the peer's close_notify in the same segment stays queued.
/// </summary>
public sealed class TlsRecordBoundaryTests
{
    private sealed class NoSink : ICiphertextSink
    {
        public void WriteCiphertext(ReadOnlySpan<byte> ciphertext) { }
    }

    private static byte[] Record(byte type, int bodyLength) =>
        [type, 3, 3, (byte)(bodyLength >> 8), (byte)bodyLength, .. new byte[bodyLength]];

    [Test]
    public async Task ReadsStopAtEachRecordEndAndLeaveWhatFollowsQueued()
    {
        var stream = new CiphertextStream(new NoSink());
        var first = Record(23, 300);
        var closeNotify = Record(21, 2);
        stream.Feed([.. first, .. closeNotify, .. "plain"u8.ToArray()]);
        stream.LimitToRecords = true;

        var buffer = new byte[4096];
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(5), "the first header");
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(300), "its body, and no further");
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(5));
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(2), "the close_notify alert's body");
        Assert.That(stream.TakeQueued(), Is.EqualTo("plain"u8.ToArray()));
    }

    [Test]
    public async Task BoundariesAreFollowedWhileNotLimitingSoLimitingCanStartMidStream()
    {
        var stream = new CiphertextStream(new NoSink());
        var a = Record(22, 40);
        var b = Record(23, 10);
        stream.Feed([.. a, .. b[..7]]);
        var buffer = new byte[4096];
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(a.Length + 7), "unlimited: everything queued");

        stream.LimitToRecords = true;
        stream.Feed([.. b[7..], .. Record(21, 2), 0x41]);
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(8), "the rest of the record that was cut");
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(5));
        Assert.That(await stream.ReadAsync(buffer), Is.EqualTo(2));
        Assert.That(stream.TakeQueued(), Is.EqualTo(new byte[] { 0x41 }));
    }
}
