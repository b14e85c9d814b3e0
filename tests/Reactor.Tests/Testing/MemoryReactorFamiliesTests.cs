using System.Net;
using System.Net.Sockets;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Testing;

/// <summary>
/// MemoryReactor's UNIX and TLS families, its connectors' life cycle and MemoryReactorClock on a
/// given Clock (Twisted's MemoryReactor.unixServers / unixClients / sslServers / sslClients and
/// _FakeConnector; the factory life cycle is the reactor's own StreamConnector's).
/// </summary>
public class MemoryReactorFamiliesTests
{
    [Test]
    public void AUnixClientStringConnectedThroughMemoryReactorIsRecordedWithItsArguments()
    {
        var reactor = new MemoryReactor();
        var protocol = new RecordingProtocol();
        var d = EndpointStrings.ClientFromString(reactor, "unix:path=/tmp/r.sock:timeout=7:lockfile=1").ConnectProtocol(protocol);

        var call = reactor.UnixClients.Single();
        Assert.That((call.Path, call.Timeout, call.CheckPid), Is.EqualTo(("/tmp/r.sock", (TimeSpan?)TimeSpan.FromSeconds(7), true)));
        Assert.That(reactor.TcpClients, Is.Empty);
        var connector = reactor.Connectors.Single();
        Assert.That(connector.GetDestination(), Is.EqualTo(new UnixDomainSocketEndPoint("/tmp/r.sock")));
        AssertNoResult(d);

        connector.Succeed();
        Assert.That(SuccessResultOf(d), Is.SameAs(protocol));
        protocol.Transport.Write("ping"u8);
        var transport = (StringTransport)connector.Transport!;
        Assert.That(transport.ValueAsString(), Is.EqualTo("ping"), "the test reads what the protocol wrote");
        Assert.That(transport.GetPeer(), Is.EqualTo(connector.GetDestination()));
    }

    [Test]
    public void AUnixServerStringListensThroughMemoryReactorWithItsArguments()
    {
        var reactor = new MemoryReactor();
        var factory = new StartStopFactory();
        var port = SuccessResultOf(EndpointStrings.ServerFromString(reactor, "unix:/tmp/s.sock:mode=600:backlog=3:lockfile=0").Listen(factory));

        Assert.That(reactor.UnixServers.Single(), Is.EqualTo(new UnixServerRecord("/tmp/s.sock", factory, 3, UnixFileMode.UserRead | UnixFileMode.UserWrite, false)));
        Assert.That(port.GetHost(), Is.EqualTo(new UnixDomainSocketEndPoint("/tmp/s.sock")));
        Assert.That(File.Exists("/tmp/s.sock"), Is.False, "nothing is bound");
        Assert.That(factory.Starts, Is.EqualTo(1));
        port.StopListening();
        Assert.That(factory.Stops, Is.EqualTo(1));
    }

    [Test]
    public void UnixCallsRefuseWhatTheRealReactorRefuses()
    {
        var reactor = new MemoryReactor();
        var tooLong = "/tmp/" + new string('x', 200);
        Assert.That(() => reactor.ListenUnix(tooLong, new StartStopFactory()), Throws.ArgumentException.With.Property("ParamName").EqualTo("path"));
        Assert.That(() => reactor.ConnectUnix("", new ReportingClientFactory()), Throws.ArgumentException.With.Property("ParamName").EqualTo("path"));
        Assert.That(() => reactor.ConnectUnix("/s", new ReportingClientFactory(), TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(reactor.UnixServers, Is.Empty, "a refused call is not recorded");
        Assert.That(reactor.UnixClients, Is.Empty);
    }

    [Test]
    public void AnSslClientStringIsRecordedWithItsOptionsAndNotAsTcp()
    {
        var reactor = new MemoryReactor();
        var endpoint = (Ssl4ClientEndpoint)EndpointStrings.ClientFromString(reactor, "ssl:host=127.0.0.1:port=4321:timeout=3:bindAddress=127.0.0.1");
        var d = endpoint.ConnectProtocol(new RecordingProtocol());

        var call = reactor.SslClients.Single();
        Assert.Multiple(() =>
        {
            Assert.That((call.Host, call.Port, call.Timeout), Is.EqualTo(("127.0.0.1", 4321, (TimeSpan?)TimeSpan.FromSeconds(3))));
            Assert.That(call.Options, Is.SameAs(endpoint.Options), "the TLS options are recorded as given");
            Assert.That(call.BindAddress, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 0)));
            Assert.That(reactor.TcpClients, Is.Empty);
            Assert.That(reactor.Connectors.Single().GetDestination(), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 4321)));
        });
        reactor.Connectors.Single().Fail(new TlsError(TlsErrorKind.CertificateRejected, "bad certificate"));
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<TlsError>());
    }

    [Test]
    public void ListenSslRecordsItsOptionsAndStartsTheFactory()
    {
        var reactor = new MemoryReactor();
        var factory = new StartStopFactory();
        var options = new TlsServerOptions(TestCertificates.Server);
        var port = reactor.ListenSsl(8443, factory, options, backlog: 7, @interface: "127.0.0.1");
        Assert.That(reactor.SslServers.Single(), Is.EqualTo(new SslServerRecord(8443, factory, options, 7, "127.0.0.1")));
        Assert.That(reactor.TcpServers, Is.Empty);
        Assert.That(port.GetHost(), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 8443)));
        Assert.That(factory.Starts, Is.EqualTo(1));
    }

    [Test]
    public void AListenErrorIsRecordedThenThrownAndTheFactoryIsNotStarted()
    {
        var error = new CannotListenError("/tmp/busy", null);
        var reactor = new MemoryReactor { ListenError = error };
        var factory = new StartStopFactory();
        Assert.That(() => reactor.ListenUnix("/tmp/busy", factory), Throws.Exception.SameAs(error));
        Assert.That(() => reactor.ListenTcp(80, factory), Throws.Exception.SameAs(error));
        Assert.That((reactor.UnixServers.Count, reactor.TcpServers.Count, factory.Starts), Is.EqualTo((1, 1, 0)));
    }

    [Test]
    public void AConnectorStartsTheFactoryOnceAndStopsItWhenTheAttemptFails()
    {
        var reactor = new MemoryReactor();
        var factory = new ReportingClientFactory();
        var connector = (FakeConnector)reactor.ConnectTcp("10.0.0.1", 80, factory);
        Assert.That((factory.Starts, factory.Started.Count, connector.Connecting), Is.EqualTo((1, 1, true)));

        connector.Fail();
        Assert.That(factory.Events, Is.EqualTo(new[] { "start", "started", "failed ConnectionRefusedError", "stop" }));
        Assert.That(connector.Connecting, Is.False);
        Assert.That(() => connector.Fail(), Throws.InvalidOperationException, "the attempt already ended");
    }

    [Test]
    public void AFactoryThatReconnectsFromItsCallbackKeepsRunning()
    {
        // What a ReconnectingClientFactory does: Connect() from ClientConnectionFailed.
        var reactor = new MemoryReactor();
        var factory = new ReportingClientFactory { ReconnectTimes = 1 };
        var connector = (FakeConnector)reactor.ConnectUnix("/tmp/r.sock", factory);
        connector.Fail();
        Assert.That(connector.Connecting, Is.True, "the factory started a new attempt");
        Assert.That(connector.ConnectCalls, Is.EqualTo(1));
        Assert.That(factory.Events, Is.EqualTo(new[] { "start", "started", "failed ConnectionRefusedError", "started" }), "not stopped, not started twice");
        connector.Fail();
        Assert.That(factory.Events[^1], Is.EqualTo("stop"));
    }

    [Test]
    public void StopConnectingReportsAUserErrorToTheFactory()
    {
        var reactor = new MemoryReactor();
        var factory = new ReportingClientFactory();
        var connector = reactor.ConnectTcp("10.0.0.1", 80, factory);
        connector.StopConnecting();
        Assert.That(((FakeConnector)connector).StoppedConnecting, Is.True);
        Assert.That(factory.Events, Is.EqualTo(new[] { "start", "started", "failed UserError", "stop" }));
        Assert.That(connector.StopConnecting, Throws.InvalidOperationException, "not connecting any more");
    }

    [Test]
    public void AnEndedConnectionIsReportedToTheProtocolThenTheFactory()
    {
        var reactor = new MemoryReactor();
        var factory = new ReportingClientFactory();
        var connector = (FakeConnector)reactor.ConnectTcp("10.0.0.1", 80, factory);
        var protocol = (RecordingProtocol)connector.Succeed()!;
        Assert.That((connector.Connected, connector.Protocol), Is.EqualTo((true, (IProtocol)protocol)));

        connector.Disconnect();
        Assert.That(((StringTransport)connector.Transport!).Disconnecting, Is.True, "Disconnect closes the connection's transport");
        connector.EndConnection(new ConnectionLost());
        Assert.That(protocol.LostReason!.Value, Is.TypeOf<ConnectionLost>());
        Assert.That(factory.Events, Is.EqualTo(new[] { "start", "started", "lost ConnectionLost", "stop" }));
        Assert.That(connector.Connected, Is.False);
        Assert.That(() => connector.EndConnection(), Throws.InvalidOperationException);
    }

    [Test]
    public void AFactoryThatBuildsNoProtocolGetsItsTransportClosed()
    {
        var reactor = new MemoryReactor();
        var factory = new ReportingClientFactory { BuildNothing = true };
        var connector = (FakeConnector)reactor.ConnectTcp("10.0.0.1", 80, factory);
        Assert.That(connector.Succeed(), Is.Null);
        Assert.That(((StringTransport)connector.Transport!).Disconnecting, Is.True);
    }

    [Test]
    public void TheCompleterEndsTheAttemptThroughItsConnector()
    {
        var reactor = new MemoryReactor();
        reactor.ListenTcp(7000, new StartStopFactory());
        reactor.ConnectUnix("/tmp/other.sock", new ReportingClientFactory()); // not a TCP attempt: the completer skips it
        var connected = new ReportingClientFactory();
        reactor.ConnectTcp("127.0.0.1", 7000, connected);
        var refused = new ReportingClientFactory();
        reactor.ConnectTcp("127.0.0.1", 7000, refused);
        var completer = new ConnectionCompleter(reactor);

        var pump = completer.SucceedOnce();
        var connector = reactor.Connectors[1];
        Assert.That((connector.Connected, connector.Transport), Is.EqualTo((true, (ITransport)pump!.ClientTransport)));
        Assert.That(completer.FailOnce(), Is.True);
        Assert.That(refused.Events, Is.EqualTo(new[] { "start", "started", "failed ConnectionRefusedError", "stop" }));
        Assert.That(reactor.Connectors[0].Connecting, Is.True, "the UNIX attempt is untouched");
    }

    [Test]
    public void AMemoryReactorClockOnAGivenClockSharesItsTime()
    {
        var clock = new Clock();
        var reactor = new MemoryReactorClock(clock);
        var fired = new List<string>();
        reactor.CallLater(TimeSpan.FromSeconds(1), () => fired.Add("reactor"));
        clock.CallLater(TimeSpan.FromSeconds(2), () => fired.Add("clock"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.EqualTo(new[] { "reactor" }), "advancing the clock runs the reactor's calls");
        reactor.Advance(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.EqualTo(new[] { "reactor", "clock" }));
        Assert.That(reactor.Now, Is.EqualTo(clock.Now));
    }

    private sealed class StartStopFactory : Factory
    {
        public int Starts { get; private set; }

        public int Stops { get; private set; }

        public override IProtocol? BuildProtocol(EndPoint address) => new RecordingProtocol();

        public override void StartFactory() => Starts++;

        public override void StopFactory() => Stops++;
    }

    /// <summary>A client factory that writes down every life-cycle call, in order.</summary>
    private sealed class ReportingClientFactory : ClientFactory
    {
        public List<string> Events { get; } = [];

        public List<IConnector> Started { get; } = [];

        public int Starts => Events.Count(e => e == "start");

        public int ReconnectTimes { get; set; }

        public bool BuildNothing { get; init; }

        public override IProtocol? BuildProtocol(EndPoint address) => BuildNothing ? null : new RecordingProtocol();

        public override void StartFactory() => Events.Add("start");

        public override void StopFactory() => Events.Add("stop");

        public override void StartedConnecting(IConnector connector)
        {
            Started.Add(connector);
            Events.Add("started");
        }

        public override void ClientConnectionFailed(IConnector connector, Failure reason)
        {
            Events.Add("failed " + reason.Value.GetType().Name);
            if (ReconnectTimes-- > 0) connector.Connect();
        }

        public override void ClientConnectionLost(IConnector connector, Failure reason) => Events.Add("lost " + reason.Value.GetType().Name);
    }
}
