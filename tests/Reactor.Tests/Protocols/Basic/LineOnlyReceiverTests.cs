using System.Text;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

public class LineOnlyReceiverTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Test]
    public void EveryChunkingYieldsTheSameLines()
    {
        // Vector from test_protocols.py LineOnlyReceiverTests.buffer.
        var stream = B("foo\r\n    bleakness\r\n    desolation\r\n    plastic forks\r\n    ");
        ChunkingProperty.AssertEveryChunking(() => new RecordingLineOnlyReceiver(), stream, r => r.Lines,
            [B("foo"), B("    bleakness"), B("    desolation"), B("    plastic forks")]);
    }

    [Test]
    public void LineTooLongCallsExceeded()
    {
        // test_protocols.py LineOnlyReceiverTests.test_lineTooLong.
        var t = new StringTransport();
        var r = new RecordingLineOnlyReceiver();
        r.MakeConnection(t);
        r.DataReceived(B(new string('x', r.MaxLength + 1) + "\r\n"));
        Assert.That(t.Disconnecting, Is.True);
        Assert.That(r.Exceeded, Has.Count.EqualTo(1));
        Assert.That(r.Lines, Is.Empty);
    }

    [Test]
    public void UnterminatedLeftoverLongerThanMaxLengthIsExceeded()
    {
        var t = new StringTransport();
        var r = new RecordingLineOnlyReceiver { MaxLength = 5 };
        r.MakeConnection(t);
        r.DataReceived(B("12345"));
        Assert.That(t.Disconnecting, Is.False);
        // Six bytes could still be five and the first byte of "\r\n"; seven cannot.
        r.DataReceived(B("6"));
        Assert.That(t.Disconnecting, Is.False);
        r.DataReceived(B("7"));
        Assert.That(t.Disconnecting, Is.True);
    }

    [Test]
    public void ALineOfExactlyMaxLengthIsDeliveredWhenItsDelimiterArrivesInTwoReads()
    {
        // Found by ChunkingPropertyTests: MaxLength bytes plus the delimiter's first byte was
        // judged too long before the second byte arrived, though the whole line fits.
        var t = new StringTransport();
        var r = new RecordingLineOnlyReceiver { MaxLength = 5 };
        r.MakeConnection(t);
        r.DataReceived(B("12345\r"));
        r.DataReceived(B("\n"));
        Assert.That(t.Disconnecting, Is.False);
        Assert.That(r.Lines, Is.EqualTo(new[] { B("12345") }));
    }

    [Test]
    public void OversizedLineNeverGrowsTheBufferPastMaxLength()
    {
        var r = new RecordingLineOnlyReceiver { MaxLength = 1000, DisconnectOnExceeded = false };
        r.MakeConnection(new StringTransport());
        for (var i = 0; i < 500; i++) r.DataReceived(B("yyyyyyyyyyyyyyyyyyyyyyyyyyyyy"));
        Assert.That(r.Exceeded, Is.Not.Empty);
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(r.MaxLength + 2));
    }

    [Test]
    public void LinesAfterTheOneThatClosedAreDropped()
    {
        var t = new StringTransport();
        var r = new RecordingLineOnlyReceiver { OnLine = (p, l) => p.Transport.LoseConnection() };
        r.MakeConnection(t);
        r.DataReceived(B("one\r\ntwo\r\n"));
        Assert.That(r.Lines, Has.Count.EqualTo(1));
    }

    [Test]
    public void SendLineAppendsTheDelimiter()
    {
        var t = new StringTransport();
        var r = new RecordingLineOnlyReceiver();
        r.MakeConnection(t);
        r.SendLine(B("abc"));
        Assert.That(t.ValueAsString(), Is.EqualTo("abc\r\n"));
    }
}
