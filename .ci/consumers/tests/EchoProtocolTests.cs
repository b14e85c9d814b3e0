// The installed-package check for Reactor.Testing: a test project that takes both packages from the
// local feed and tests a protocol the way the docs teach (StringTransport, Clock, LoopbackPump).
using System.Text;
using NUnit.Framework;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

public class Echo : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}

public class EchoProtocolTests
{
    [Test]
    public void EchoesWhatItReceives()
    {
        var transport = new StringTransport();
        var protocol = new Echo();
        protocol.MakeConnection(transport);
        protocol.DataReceived("hello"u8);
        Assert.That(transport.ValueAsString(), Is.EqualTo("hello"));
    }

    [Test]
    public void AClockDrivesTimeWithoutWaiting()
    {
        var clock = new Clock();
        var fired = false;
        clock.CallLater(TimeSpan.FromMinutes(5), () => fired = true);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(fired, Is.True);
    }
}
