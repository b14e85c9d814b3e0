using Reactor.Docs.Samples.Guides.Framing;
using Reactor.Testing;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/framing.md: each receiver fed in awkward pieces.</summary>
public class FramingGuideTests
{
    private static StringTransport Connect(Reactor.Protocols.IProtocol protocol)
    {
        var transport = new StringTransport();
        protocol.MakeConnection(transport);
        return transport;
    }

    [Test]
    public void TheCalculatorAddsAndExplainsItsGrammar()
    {
        var calculator = new Calculator();
        var transport = Connect(calculator);
        calculator.DataReceived("ADD 2 4"u8);
        calculator.DataReceived("0\r\nSUB 1 1\r\n"u8);
        Assert.That(transport.ValueAsString(), Is.EqualTo("42\r\nERR expected: ADD <a> <b>\r\n"));
    }

    [Test]
    public void ALineLongerThanSixtyFourBytesEndsTheConnection()
    {
        var calculator = new Calculator();
        var transport = Connect(calculator);
        calculator.DataReceived(new byte[100]);
        Assert.That(transport.ValueAsString(), Is.EqualTo("ERR line too long\r\n"));
        Assert.That(transport.Disconnecting, Is.True);
    }

    [Test]
    public void TheUploadReadsARawBodyThenLinesAgain()
    {
        var upload = new Upload();
        var transport = Connect(upload);
        upload.DataReceived("SIZE 5\r\nhel"u8);
        upload.DataReceived("loSIZE 2\r\nok"u8);
        Assert.That(upload.Bodies.Select(b => System.Text.Encoding.ASCII.GetString(b)), Is.EqualTo(new[] { "hello", "ok" }));
        Assert.That(transport.ValueAsString(), Is.EqualTo("OK 5\r\nOK 2\r\n"));
    }

    [Test]
    public void ALengthPrefixedMessageIsAnsweredWithItsLength()
    {
        var measure = new MeasureMessages();
        var transport = Connect(measure);
        measure.DataReceived([0, 0, 0, 3, (byte)'a']);
        measure.DataReceived("bc"u8);
        Assert.That(transport.Value(), Is.EqualTo(new byte[] { 0, 0, 0, 4, 0, 0, 0, 3 }));
    }

    [Test]
    public void AnOversizedPrefixClosesBeforeAnythingIsBuffered()
    {
        var measure = new MeasureMessages();
        var transport = Connect(measure);
        measure.DataReceived([0x7f, 0xff, 0xff, 0xff]);
        Assert.That(transport.Disconnecting, Is.True);
        Assert.That(transport.Written.Length, Is.Zero);
    }

    [Test]
    public void ANetstringComesBackReversed()
    {
        var reverse = new Reverse();
        var transport = Connect(reverse);
        reverse.DataReceived("5:hel"u8);
        reverse.DataReceived("lo,"u8);
        Assert.That(transport.ValueAsString(), Is.EqualTo("5:olleh,"));
    }
}
