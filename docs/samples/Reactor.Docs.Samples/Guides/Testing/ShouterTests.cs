using System.Text;
using NUnit.Framework;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Protocols.Basic;
using Reactor.Testing;
using Reactor.Time;

namespace Reactor.Docs.Samples.Guides.Testing;

/// <summary>
/// The testing guide's tests, as a user writes them. The suite runs them through a fixture in
/// tests/Reactor.Tests that derives from this class.
/// </summary>
public abstract class ShouterTests
{
    #region string-transport
    /// <summary>A protocol on a <see cref="StringTransport"/>: feed bytes in, read what it wrote.</summary>
    [Test]
    public void EachLineComesBackInCapitals()
    {
        var protocol = new Shouter(new Clock());
        var transport = new StringTransport();
        protocol.MakeConnection(transport);

        protocol.DataReceived("hello\r\nwor"u8); // bytes arrive in any pieces
        protocol.DataReceived("ld\r\n"u8);

        Assert.That(transport.ValueAsString(), Is.EqualTo("HELLO\r\nWORLD\r\n"));
    }
    #endregion

    #region clock
    /// <summary>Time moves only when the test says so: <see cref="Clock.Advance"/>.</summary>
    [Test]
    public void ASilentClientIsDisconnectedAfterThirtySeconds()
    {
        var clock = new Clock();
        var transport = new StringTransport();
        new Shouter(clock).MakeConnection(transport);

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That(transport.Disconnecting, Is.False);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(transport.Disconnecting, Is.True);
    }
    #endregion

    #region memory-reactor
    /// <summary>Set-up code against a <see cref="MemoryReactorClock"/>: no port is opened.</summary>
    [Test]
    public void TheServerListensOnItsPortAndBuildsShouters()
    {
        var reactor = new MemoryReactorClock();
        ShoutServer.Listen(reactor, 8000);

        var server = reactor.TcpServers.Single();
        Assert.That(server.Port, Is.EqualTo(8000));
        var protocol = server.Factory.BuildProtocol(StringTransport.DefaultPeer);
        Assert.That(protocol, Is.InstanceOf<Shouter>());

        var transport = new StringTransport();
        protocol!.MakeConnection(transport);
        reactor.Advance(Shouter.IdleLimit); // the reactor is its clock too
        Assert.That(transport.Disconnecting, Is.True);
    }
    #endregion

    #region memory-reactor-endpoints
    /// <summary>
    /// Client code that connects by endpoint description, against a <see cref="MemoryReactorClock"/>:
    /// UNIX and TLS calls are recorded like TCP's, and the test ends each attempt itself.
    /// </summary>
    [Test]
    public void TheAskerConnectsWhereItsDescriptionSaysAndAsks()
    {
        var reactor = new MemoryReactorClock();
        var asker = Asker.Ask(reactor, "unix:/run/shout.sock:timeout=5", "hello");

        var call = reactor.UnixClients.Single(); // nothing was connected: the call is recorded
        Assert.That((call.Path, call.Timeout), Is.EqualTo(("/run/shout.sock", (TimeSpan?)TimeSpan.FromSeconds(5))));

        var connector = reactor.Connectors.Single();
        connector.Succeed(); // the attempt connects, to a StringTransport
        var transport = (StringTransport)connector.Transport!;
        Assert.That(transport.ValueAsString(), Is.EqualTo("hello\r\n"));

        asker.DataReceived("HELLO\r\n"u8);
        Assert.That(DeferredAssert.SuccessResultOf(asker.Answer), Is.EqualTo("HELLO"));
        Assert.That(transport.Disconnecting, Is.True);
    }

    /// <summary>An attempt the test fails: the factory hears it as it would from a real reactor.</summary>
    [Test]
    public void ARefusedConnectionFailsTheAnswer()
    {
        var reactor = new MemoryReactorClock();
        var asker = Asker.Ask(reactor, "ssl:shout.example:8443", "hello");

        Assert.That(reactor.SslClients.Single().Host, Is.EqualTo("shout.example")); // with its TlsClientOptions
        reactor.Connectors.Single().Fail(new ConnectionRefusedError());
        DeferredAssert.FailureResultOf(asker.Answer, typeof(ConnectionRefusedError));
    }
    #endregion

    #region loopback
    /// <summary>A client and a server protocol talking through <see cref="LoopbackPump"/>, in memory.</summary>
    [Test]
    public void AClientHearsTheShoutThroughALoopbackPump()
    {
        var clock = new Clock();
        var (client, _, pump) = LoopbackPump.ConnectedServerAndClient(() => new Shouter(clock), () => new Collector());

        client.SendLine("psst");
        pump.Flush(); // moves bytes both ways until nothing moves

        Assert.That(client.Lines, Is.EqualTo(new[] { "PSST" }));
        clock.Advance(Shouter.IdleLimit);
        pump.Flush();
        Assert.That(pump.BothDisconnected, Is.True);
    }

    private sealed class Collector : LineReceiver
    {
        public List<string> Lines { get; } = [];

        public override void LineReceived(ReadOnlySpan<byte> line) => Lines.Add(Encoding.UTF8.GetString(line));
    }
    #endregion
}
