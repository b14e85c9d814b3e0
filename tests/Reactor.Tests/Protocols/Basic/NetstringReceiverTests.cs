using System.Text;
using Reactor.Protocols.Basic;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

// Ports of test_protocols.py NetstringReceiverTests.
public class NetstringReceiverTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static (RecordingNetstring Receiver, StringTransport Transport) Connected(int? maxLength = null)
    {
        var t = new StringTransport();
        var r = new RecordingNetstring();
        if (maxLength is { } m) r.MaxLength = m;
        r.MakeConnection(t);
        return (r, t);
    }

    [Test]
    public void EveryChunkingYieldsTheSameStrings()
    {
        // test_buffer's strings, sent with sendString and read back in every chunking.
        byte[][] strings = [B("hello"), B("world"), B("how"), B("are"), B("you123"), B(":today"), B(new string('a', 515)), B("")];
        var (sender, t) = Connected();
        foreach (var s in strings) sender.SendString(s);
        ChunkingProperty.AssertEveryChunking(() => new RecordingNetstring(), t.Value(), r => r.Strings, strings);
        var shortStream = B("1:a,0:,3:b,c,8:1:a,1:b,,");
        ChunkingProperty.AssertEveryChunking(() => new RecordingNetstring(), shortStream, r => r.Strings,
            [B("a"), B(""), B("b,c"), B("1:a,1:b,")]);
    }

    [TestCase("9999999999999999999999", NetstringErrorKind.TooLong)]
    [TestCase("abc", NetstringErrorKind.MissingLength)]
    [TestCase("4:abcde", NetstringErrorKind.MissingComma)]
    [TestCase("2:aaa,", NetstringErrorKind.MissingComma)]
    [TestCase("0:a,", NetstringErrorKind.MissingComma)]
    [TestCase(":aaa,", NetstringErrorKind.MissingLength)]
    [TestCase("3aaa,", NetstringErrorKind.MissingColon)]
    [TestCase("aaa,", NetstringErrorKind.MissingLength)]
    [TestCase("01:a,", NetstringErrorKind.LeadingZero)]
    [TestCase("00:,", NetstringErrorKind.LeadingZero)]
    public void MalformedInputDropsTheConnectionWithAReason(string input, NetstringErrorKind kind)
    {
        // test_illegal and the test_missing*/test_moreDataThanSpecified* cases.
        var (r, t) = Connected();
        r.DataReceived(B(input));
        Assert.That(r.BrokenPeer, Is.True);
        Assert.That(t.Disconnecting, Is.True);
        Assert.That(r.ParseError!.Kind, Is.EqualTo(kind));
        Assert.That(r.ParseError.Message, Is.Not.Empty);
        r.DataReceived(B("1:a,"));
        Assert.That(r.Strings, Is.Empty, "nothing is parsed after malformed input");
    }

    [Test]
    public void OverlongLengthIsRefusedBeforeThePayloadArrives()
    {
        // test_illegal's "51:aaa...": MAX_LENGTH = 50.
        var (r, t) = Connected(maxLength: 50);
        r.DataReceived(B("51:"));
        Assert.That(r.ParseError!.Kind, Is.EqualTo(NetstringErrorKind.TooLong));
        Assert.That(t.Disconnecting, Is.True);
    }

    [Test]
    public void DigitsAloneAreNotAnError()
    {
        // test_onlyDigits.
        var (r, t) = Connected();
        r.DataReceived(B("1234"));
        Assert.That(r.BrokenPeer, Is.False);
        Assert.That(t.Disconnecting, Is.False);
    }

    [Test]
    public void PortionsAreAssembled()
    {
        // test_receiveNetstringPortions_1/2/3 and test_receiveTwoNetstrings.
        var (r, _) = Connected();
        foreach (var part in new[] { "4:aa", "aa,", "1", "0:012345", "6789", ",", "2", ":", "a", "b", ",", "1:a,1", ":b," })
        {
            r.DataReceived(B(part));
        }
        Assert.That(r.Strings.Select(Encoding.ASCII.GetString), Is.EqualTo(new[] { "aaaa", "0123456789", "ab", "a", "b" }));
    }

    [Test]
    public void PartialPayloadNeverGrowsTheBufferPastMaxLength()
    {
        var (r, _) = Connected(maxLength: 2000);
        var stream = B("2000:" + new string('z', 2000) + ",");
        for (var i = 0; i < stream.Length; i += 3) r.DataReceived(stream.AsSpan(i, Math.Min(3, stream.Length - i)));
        Assert.That(r.Strings, Has.Count.EqualTo(1));
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(r.MaxLength + 1));
    }

    [Test]
    public void SendStringFormatsANetstring()
    {
        var (r, t) = Connected();
        r.SendString(B("hello"));
        r.SendString(default);
        Assert.That(t.ValueAsString(), Is.EqualTo("5:hello,0:,"));
    }
}
