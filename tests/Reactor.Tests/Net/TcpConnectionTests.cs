using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TcpConnectionTests(SelectorKind kind)
{
    private CapturingLogger _logger = null!;
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = NetTesting.CreateReactor(kind, _logger);
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void ListenOnPortZeroPicksAFreePortAndEchoes()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var portNumber = NetTesting.PortOf(port);
        Assert.That(portNumber, Is.GreaterThan(0));

        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("hello, reactor"u8) };
        _reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Received.Length == 14, "the echo");

        Assert.That(client.Received.ToArray(), Is.EqualTo("hello, reactor"u8.ToArray()));
        Assert.That(client.ConnectionMadeCount, Is.EqualTo(1));
    }

    [Test]
    public void IPv6LoopbackWorks()
    {
        if (!Socket.OSSupportsIPv6) Assert.Ignore("IPv6 is not available here.");
        IListeningPort port;
        try
        {
            port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "::1");
        }
        catch (CannotListenError ex)
        {
            Assert.Ignore($"::1 cannot be bound here: {ex.Message}");
            return;
        }
        var host = (IPEndPoint)port.GetHost();
        Assert.That(host.AddressFamily, Is.EqualTo(AddressFamily.InterNetworkV6));

        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("v6"u8) };
        _reactor.ConnectTcp("::1", host.Port, new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Received.Length == 2, "the echo over IPv6");
        Assert.That(((IPEndPoint)client.Transport.GetPeer()).Address, Is.EqualTo(IPAddress.IPv6Loopback));
    }

    [Test]
    public void PeerAndHostAddressesMatchOnBothSides()
    {
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { Connected: true } && client.Connected, "both sides connected");

        Assert.That(client.Transport.GetPeer(), Is.EqualTo(port.GetHost()));
        Assert.That(server!.Transport.GetPeer(), Is.EqualTo(client.Transport.GetHost()));
        Assert.That(server.Transport.GetHost(), Is.EqualTo(client.Transport.GetPeer()));
    }

    [Test]
    public void FactoryReturningNullClosesTheConnectionAtOnce()
    {
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => null), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.IsLost, "the refused connection to close");
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void ExceptionInDataReceivedIsLoggedAndBecomesTheReason()
    {
        // Twisted: test_tcp.py ... the exception raised by dataReceived is the connectionLost reason.
        var boom = new InvalidOperationException("boom");
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol { OnData = (_, _) => throw boom }), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("x"u8) };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { IsLost: true } && client.IsLost, "both sides to see the close");

        Assert.That(server!.LostReason!.Value, Is.SameAs(boom));
        Assert.That(server.LostCount, Is.EqualTo(1));
        Assert.That(_logger.Errors.Any(e => e.Exception == boom), Is.True, "the exception is logged with its stack");
    }

    [Test]
    public void LoseConnectionFlushesThenReportsConnectionDoneAndDropsLaterWrites()
    {
        var payload = new byte[256 * 1024];
        for (var i = 0; i < payload.Length; i++) payload[i] = NetTesting.PatternAt(i);
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnConnectionMade = p =>
            {
                p.Transport.Write(payload);
                p.Transport.LoseConnection();
                // Dropped: the rule for every transport (documented on ITransport).
                p.Transport.Write("after"u8);
            },
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.IsLost && server is { IsLost: true }, "both sides to close");

        Assert.That(client.Received.ToArray(), Is.EqualTo(payload));
        Assert.That(server!.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void TcpOptionsCanBeReadAndSet()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Connected, "the connection");

        client.Tcp.SetTcpNoDelay(true);
        Assert.That(client.Tcp.GetTcpNoDelay(), Is.True);
        client.Tcp.SetTcpNoDelay(false);
        Assert.That(client.Tcp.GetTcpNoDelay(), Is.False);
        client.Tcp.SetTcpKeepAlive(true);
        Assert.That(client.Tcp.GetTcpKeepAlive(), Is.True);
        client.Tcp.SetTcpKeepAlive(false);
        Assert.That(client.Tcp.GetTcpKeepAlive(), Is.False);
    }

    [Test]
    public void ListeningStartsAndStopsTheFactory()
    {
        // Twisted: test_tcp.py test_serverStartStop.
        var factory = new RecordingClientFactory(() => new EchoProtocol());
        var port = _reactor.ListenTcp(0, factory, @interface: "127.0.0.1");
        Assert.That((factory.StartFactoryCount, factory.NumPorts), Is.EqualTo((1, 1)));

        var stopped = port.StopListening();
        Assert.That(stopped.Called, Is.True);
        Assert.That((factory.StopFactoryCount, factory.NumPorts), Is.EqualTo((1, 0)));
        Assert.That(port.StopListening().Called, Is.True, "stopping twice is harmless");
        Assert.That(factory.StopFactoryCount, Is.EqualTo(1));
    }

    [Test]
    public void StoppedPortRefusesNewConnections()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var number = NetTesting.PortOf(port);
        port.StopListening();
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        _reactor.ConnectTcp("127.0.0.1", number, factory);
        _reactor.RunUntil(() => factory.FailedReason is not null, "the refusal");
        Assert.That(factory.FailedReason!.Value, Is.InstanceOf<ConnectionRefusedError>());
    }

    [Test]
    public void BindingABusyPortThrowsCannotListenError()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var error = Assert.Throws<CannotListenError>(() => _reactor.ListenTcp(NetTesting.PortOf(port), Factory.For<EchoProtocol>(), @interface: "127.0.0.1"));
        Assert.That(error!.InnerException, Is.InstanceOf<SocketException>());
        Assert.That(((SocketException)error.InnerException!).SocketErrorCode, Is.EqualTo(SocketError.AddressAlreadyInUse));
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        var factory = Factory.For<EchoProtocol>();
        Assert.Throws<ArgumentException>(() => _reactor.ListenTcp(0, factory, @interface: "not-an-address"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _reactor.ListenTcp(70000, factory));
        Assert.Throws<ArgumentOutOfRangeException>(() => _reactor.ConnectTcp("127.0.0.1", 0, new RecordingClientFactory(() => null)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _reactor.ConnectTcp("127.0.0.1", 80, new RecordingClientFactory(() => null), TimeSpan.Zero));
    }
}
