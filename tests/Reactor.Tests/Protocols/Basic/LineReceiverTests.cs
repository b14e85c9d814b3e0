using System.Text;
using Reactor.Protocols.Basic;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

public class LineReceiverTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>Twisted's LineTester (twisted/test/test_protocols.py): "len N" then an empty line reads N raw bytes.</summary>
    private sealed class LineTester : LineReceiver
    {
        public readonly List<byte[]> Received = [];
        private int _length;

        public LineTester()
        {
            Delimiter = "\n"u8;
            MaxLength = 64;
        }

        public override void LineReceived(ReadOnlySpan<byte> line)
        {
            Received.Add(line.ToArray());
            if (line.IsEmpty) SetRawMode();
            else if (line.StartsWith("len "u8)) _length = int.Parse(Encoding.ASCII.GetString(line[4..]));
        }

        public override void RawDataReceived(ReadOnlySpan<byte> data)
        {
            var take = Math.Min(_length, data.Length);
            var rest = data[take..];
            _length -= take;
            Received[^1] = [.. Received[^1], .. data[..take]];
            if (_length == 0) SetLineMode(rest);
        }

        public override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            if (line.Length > MaxLength + 1) SetLineMode(line[(MaxLength + 1)..]);
        }
    }

    private const string TwistedBuffer =
        "len 10\n\n0123456789len 5\n\n1234\nlen 20\nfoo 123\n\n0123456789\n012345678len 0\nfoo 5\n\n" +
        "1234567890123456789012345678901234567890123456789012345678901234567890\nlen 1\n\na";

    private static readonly string[] TwistedOutput =
        ["len 10", "0123456789", "len 5", "1234\n", "len 20", "foo 123", "0123456789\n012345678", "len 0", "foo 5", "", "67890", "len 1", "a"];

    [Test]
    public void TwistedBufferVectorInPacketsOfOneToNineBytes()
    {
        // Port of test_protocols.py LineReceiverTests.test_buffer: raw/line switches inside one read.
        for (var packet = 1; packet < 10; packet++)
        {
            var t = new LineTester();
            t.MakeConnection(new StringTransport());
            var buffer = B(TwistedBuffer);
            for (var i = 0; i < buffer.Length; i += packet) t.DataReceived(buffer.AsSpan(i, Math.Min(packet, buffer.Length - i)));
            Assert.That(t.Received.Select(Encoding.ASCII.GetString).ToArray(), Is.EqualTo(TwistedOutput), $"packet size {packet}");
        }
    }

    [Test]
    public void TwistedBufferVectorInOneRead()
    {
        var t = new LineTester();
        t.MakeConnection(new StringTransport());
        t.DataReceived(B(TwistedBuffer));
        Assert.That(t.Received.Select(Encoding.ASCII.GetString).ToArray(), Is.EqualTo(TwistedOutput));
    }

    [Test]
    public void EveryChunkingYieldsTheSameLines()
    {
        var longLine = new string('q', 300);
        var stream = B($"hello\r\n\r\na\rb\r\n{longLine}\r\n\n\r\r\nlast\r\n");
        ChunkingProperty.AssertEveryChunking(() => new RecordingLineReceiver(), stream, r => r.Lines,
            [B("hello"), B(""), B("a\rb"), B(longLine), B("\n\r"), B("last")]);
    }

    [Test]
    public void EveryChunkingOfAShortStreamWithALongDelimiter()
    {
        var stream = B("ab<EOL>c<EO<EOL><EOL>d<EOL>");
        ChunkingProperty.AssertEveryChunking(() => new RecordingLineReceiver { Delimiter = "<EOL>"u8 }, stream, r => r.Lines,
            [B("ab"), B("c<EO"), B(""), B("d")]);
    }

    [Test]
    public void RawModeInTheMiddleOfAReadGetsTheRestOfThatRead()
    {
        var r = new RecordingLineReceiver { OnLine = (p, line) => { if (line.Length == 0) p.SetRawMode(); } };
        r.MakeConnection(new StringTransport());
        r.DataReceived(B("header\r\n\r\nbody bytes\r\nmore"));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "header", "" }));
        Assert.That(Encoding.ASCII.GetString(r.Raw.SelectMany(x => x).ToArray()), Is.EqualTo("body bytes\r\nmore"));
        Assert.That(r.LineMode, Is.False);
    }

    [Test]
    public void SetLineModeWithExtraOutsideACallbackParsesIt()
    {
        var r = new RecordingLineReceiver();
        r.MakeConnection(new StringTransport());
        r.SetRawMode();
        r.DataReceived(B("raw"));
        r.SetLineMode(B("one\r\ntwo\r\nthr"));
        r.DataReceived(B("ee\r\n"));
        Assert.That(r.Raw.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "raw" }));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "one", "two", "three" }));
    }

    [Test]
    public void ClearLineBufferReturnsAndDropsTheRest()
    {
        // Port of test_protocols.py LineReceiverTests.test_clearLineBuffer.
        byte[]? rest = null;
        var r = new RecordingLineReceiver();
        r.OnLine = (p, _) => rest = p.ClearLineBuffer();
        r.MakeConnection(new StringTransport());
        r.DataReceived(B("foo\r\nbar\r\nbaz"));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "foo" }));
        Assert.That(Encoding.ASCII.GetString(rest!), Is.EqualTo("bar\r\nbaz"));
        r.DataReceived(B("quux\r\n"));
        Assert.That(Encoding.ASCII.GetString(r.Lines[^1]), Is.EqualTo("quux"));
        Assert.That(rest, Is.Empty);
    }

    [Test]
    public void ClearLineBufferIncludesBufferedPartialData()
    {
        byte[]? rest = null;
        var r = new RecordingLineReceiver();
        r.OnLine = (p, _) => rest = p.ClearLineBuffer();
        r.MakeConnection(new StringTransport());
        r.DataReceived(B("fo"));
        r.DataReceived(B("o\r\nbar\r"));
        Assert.That(Encoding.ASCII.GetString(rest!), Is.EqualTo("bar\r"));
    }

    [Test]
    public void CompleteLineLongerThanMaxLengthCallsExceededAndDisconnects()
    {
        // test_protocols.py LineReceiverTests.test_maximumLineLength.
        var t = new StringTransport();
        var r = new RecordingLineReceiver();
        r.MakeConnection(t);
        r.DataReceived([.. new byte[r.MaxLength + 1].Select(_ => (byte)'x'), .. B("\r\nr")]);
        Assert.That(t.Disconnecting, Is.True);
        Assert.That(r.Lines, Is.Empty);
        Assert.That(r.Exceeded[0], Has.Length.EqualTo(r.MaxLength + 4), "line, delimiter and the rest of the read");
    }

    [Test]
    public void LineOfExactlyMaxLengthIsAccepted()
    {
        var t = new StringTransport();
        var r = new RecordingLineReceiver { MaxLength = 10 };
        r.MakeConnection(t);
        r.DataReceived(B("0123456789\r\n"));
        Assert.That(r.Lines, Has.Count.EqualTo(1));
        Assert.That(t.Disconnecting, Is.False);
    }

    [Test]
    public void UnterminatedLineToleratesAPartialDelimiterAtTheLimit()
    {
        // test_protocols.py test_notQuiteMaximumLineLengthUnfinished: MAX_LENGTH bytes plus half a delimiter is fine.
        var t = new StringTransport();
        var r = new RecordingLineReceiver { MaxLength = 10 };
        r.MakeConnection(t);
        r.DataReceived(B("0123456789\r"));
        Assert.That(t.Disconnecting, Is.False);
        r.DataReceived(B("\n"));
        Assert.That(r.Lines, Has.Count.EqualTo(1));
        // ...but MAX_LENGTH + len(delimiter) unterminated bytes is too much.
        r.DataReceived(B("0123456789ab"));
        Assert.That(t.Disconnecting, Is.True);
        Assert.That(r.Exceeded, Has.Count.EqualTo(1));
    }

    [Test]
    public void OversizedLineNeverGrowsTheBufferPastMaxLength()
    {
        var r = new RecordingLineReceiver { MaxLength = 16384, DisconnectOnExceeded = false };
        r.MakeConnection(new StringTransport());
        var chunk = new byte[1000];
        Array.Fill(chunk, (byte)'x');
        for (var i = 0; i < 1000; i++) r.DataReceived(chunk);
        Assert.That(r.Exceeded, Is.Not.Empty);
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(r.MaxLength + 2));
        Assert.That(r.Lines, Is.Empty);
    }

    [Test]
    public void HundredMegabytesOfTenByteLinesParseWithoutQuadraticCopying()
    {
        var r = new CountingLineReceiver();
        r.MakeConnection(new StringTransport());
        // A 10-byte line: 8 characters and CR LF. Reads of 65,537 bytes cut lines at every offset.
        var pattern = new byte[70_000];
        for (var i = 0; i < pattern.Length; i++) pattern[i] = (i % 10) switch { 8 => (byte)'\r', 9 => (byte)'\n', var k => (byte)('a' + k) };
        const long total = 100L * 1024 * 1024;
        const int read = 65_537;
        long fed = 0;
        long reads = 0;
        while (fed < total)
        {
            var offset = (int)(fed % 10);
            var n = (int)Math.Min(read, total - fed);
            r.DataReceived(pattern.AsSpan(offset, n));
            fed += n;
            reads++;
        }
        Assert.That(r.Count, Is.EqualTo(total / 10));
        Assert.That(r.BytesCopied, Is.LessThanOrEqualTo(reads * 10), "only the partial line at the end of each read is copied");
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(256));
    }

    private sealed class CountingLineReceiver : LineReceiver
    {
        public long Count;
        public override void LineReceived(ReadOnlySpan<byte> line)
        {
            if (line.Length != 8) throw new AssertionException($"line of {line.Length} bytes");
            Count++;
        }
    }

    [Test]
    public void StopsDeliveringOnceTheTransportIsDisconnecting()
    {
        var t = new StringTransport();
        var r = new RecordingLineReceiver { OnLine = (p, l) => { if (l.SequenceEqual(B("quit"))) p.Transport.LoseConnection(); } };
        r.MakeConnection(t);
        r.DataReceived(B("a\r\nquit\r\nb\r\nc\r\n"));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "a", "quit" }));
    }

    [Test]
    public void PauseHoldsLinesBackAndResumeDeliversThem()
    {
        var t = new StringTransport();
        var r = new RecordingLineReceiver { OnLine = (p, l) => { if (l.SequenceEqual(B("pause"))) p.PauseProducing(); } };
        r.MakeConnection(t);
        r.DataReceived(B("a\r\npause\r\nb\r\nc"));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "a", "pause" }));
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Paused));
        Assert.That(r.Paused, Is.True);
        r.DataReceived(B("\r\nd\r\n"));
        Assert.That(r.Lines, Has.Count.EqualTo(2), "nothing is delivered while paused");
        r.ResumeProducing();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Producing));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "a", "pause", "b", "c", "d" }));
        r.StopProducing();
        Assert.That(t.ProducerState, Is.EqualTo(ProducerState.Stopped));
    }

    [Test]
    public void ReentrantDataReceivedIsQueuedAfterTheRestOfTheRead()
    {
        var r = new RecordingLineReceiver { OnLine = (p, l) => { if (l.SequenceEqual(B("inject"))) p.DataReceived(B("x\r\n")); } };
        r.MakeConnection(new StringTransport());
        r.DataReceived(B("inject\r\ny\r\nz"));
        r.DataReceived(B("\r\n"));
        Assert.That(r.Lines.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "inject", "y", "zx", "" }));
    }

    [Test]
    public void SendLineAppendsTheDelimiter()
    {
        var t = new StringTransport();
        var r = new RecordingLineReceiver { Delimiter = "\n"u8 };
        r.MakeConnection(t);
        r.SendLine(B("hello"));
        r.SendLine("wörld");
        Assert.That(t.ValueAsString(), Is.EqualTo("hello\nwörld\n"));
    }

    [Test]
    public void RawModeWithoutOverrideThrowsAClearError()
    {
        var r = new PlainLines();
        r.MakeConnection(new StringTransport());
        r.SetRawMode();
        Assert.Throws<InvalidOperationException>(() => r.DataReceived(B("x")));
    }

    private sealed class PlainLines : LineReceiver
    {
        public override void LineReceived(ReadOnlySpan<byte> line) { }
    }

    [Test]
    public void BadSettingsAreRefused()
    {
        var r = new RecordingLineReceiver();
        Assert.Throws<ArgumentException>(() => r.Delimiter = default);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.MaxLength = -1);
    }
}
