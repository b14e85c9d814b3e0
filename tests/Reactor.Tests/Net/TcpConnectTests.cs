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

/// <summary>Connection attempts: success, each typed failure, and the factory's view of them.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TcpConnectTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = NetTesting.CreateReactor(kind, new CapturingLogger());

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void RefusedConnectionIsConnectionRefusedError()
    {
        // A port bound but not listening: the kernel answers SYN with RST, and nobody else can take it meanwhile.
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        _reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)reserved.LocalEndPoint!).Port, factory);
        _reactor.RunUntil(() => factory.FailedReason is not null, "the refusal");

        Assert.That(factory.FailedReason!.Value, Is.InstanceOf<ConnectionRefusedError>());
        Assert.That(((ConnectionError)factory.FailedReason.Value).SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
        Assert.That(factory.Events, Is.EqualTo(new[] { "StartedConnecting", "ClientConnectionFailed" }));
        Assert.That(factory.StopFactoryCount, Is.EqualTo(1), "the connector stops the factory when it does not retry");
    }

    [Test]
    public void ConnectTimeoutIsTimeoutError()
    {
        // A listener whose accept queue is full and that never accepts: Linux drops further SYNs
        // (tcp_abort_on_overflow=0), so the attempt hangs on loopback until our timeout fires.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                fillers.Add(filler);
                try
                {
                    filler.Connect(endPoint);
                }
                catch (SocketException)
                {
                    // In progress (or queued for ever): all that matters is that the queue is full.
                }
            }

            var factory = new RecordingClientFactory(() => new RecordingProtocol());
            _reactor.ConnectTcp("127.0.0.1", endPoint.Port, factory, TimeSpan.FromSeconds(1));
            _reactor.RunUntil(() => factory.Done, "the attempt to end");
            if (factory.LostReason is not null) Assert.Inconclusive("The kernel accepted past the backlog; no timeout to observe.");
            Assert.That(factory.FailedReason!.Value, Is.InstanceOf<TimeoutError>());
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }

    [Test]
    public void UnresolvableHostIsDnsLookupError()
    {
        // RFC 2606: .invalid never resolves.
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        var connector = _reactor.ConnectTcp("no-such-host.invalid", 80, factory);
        Assert.That(connector.GetDestination(), Is.EqualTo(new DnsEndPoint("no-such-host.invalid", 80)));
        _reactor.RunUntil(() => factory.FailedReason is not null, "the lookup to fail");
        Assert.That(factory.FailedReason!.Value, Is.InstanceOf<DnsLookupError>());
    }

    [Test]
    public void ConnectTcpUsesTheReactorsInstalledResolver()
    {
        // Twisted's connectTCP resolves through reactor.nameResolver: a name only the installed
        // resolver knows must connect, and its failures must arrive as DnsLookupError.
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var resolver = new MapResolver(new Dictionary<string, IPAddress> { ["echo.test"] = IPAddress.Loopback });
        _reactor.InstallNameResolver(resolver);
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("named"u8) };
        _reactor.ConnectTcp("echo.test", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Received.Length == 5, "the echo through the installed resolver");

        var failing = new RecordingClientFactory(() => new RecordingProtocol());
        _reactor.ConnectTcp("unknown.test", 80, failing);
        _reactor.RunUntil(() => failing.FailedReason is not null, "the installed resolver's refusal");

        Assert.Multiple(() =>
        {
            Assert.That(resolver.Asked, Is.EqualTo(new[] { "echo.test", "unknown.test" }));
            Assert.That(failing.FailedReason!.Value, Is.InstanceOf<DnsLookupError>());
        });
    }

    private sealed class MapResolver(Dictionary<string, IPAddress> names) : Reactor.Net.Resolution.IHostnameResolver
    {
        public List<string> Asked { get; } = new();

        public Reactor.Defer.Deferred<IReadOnlyList<IPAddress>> ResolveHostName(string hostName, AddressFamily family = AddressFamily.Unspecified)
        {
            Asked.Add(hostName);
            return names.TryGetValue(hostName, out var address)
                ? Reactor.Defer.Deferred.Succeed<IReadOnlyList<IPAddress>>(new[] { address })
                : Reactor.Defer.Deferred.Fail<IReadOnlyList<IPAddress>>(new DnsLookupError($"{hostName} is not in the map"));
        }
    }

    [Test]
    public void HostNamesAreResolvedOffTheLoop()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("named"u8) };
        _reactor.ConnectTcp("localhost", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Received.Length == 5, "the echo through a resolved name");
        Assert.That(((IPEndPoint)client.Transport.GetPeer()).Address, Is.EqualTo(IPAddress.Loopback));
    }

    [Test]
    public void StopConnectingIsUserError()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        var connector = _reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port, factory);
        connector.StopConnecting();

        Assert.That(factory.FailedReason!.Value, Is.InstanceOf<UserError>());
        Assert.Throws<InvalidOperationException>(connector.StopConnecting);
        for (var i = 0; i < 5; i++) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        Assert.That(factory.Events, Is.EqualTo(new[] { "StartedConnecting", "ClientConnectionFailed" }), "nothing happens after stopping");
    }

    [Test]
    public void ProtocolHearsOfTheLossBeforeTheFactory()
    {
        // Twisted: test_tcp.py CallBackOrderTests.test_loseOrder.
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol { OnConnectionMade = p => p.Transport.LoseConnection() }), @interface: "127.0.0.1");
        RecordingClientFactory? factory = null;
        var client = new RecordingProtocol();
        factory = new RecordingClientFactory(() => client);
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), factory);
        _reactor.RunUntil(() => factory.LostReason is not null, "the factory to hear of the loss");

        Assert.That(client.IsLost, Is.True);
        Assert.That(factory.Events, Is.EqualTo(new[] { "StartedConnecting", "BuildProtocol", "ClientConnectionLost" }));
        Assert.That(factory.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(factory.StopFactoryCount, Is.EqualTo(1));
    }

    [Test]
    public void ConnectorCanReconnectFromTheFailureCallback()
    {
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var failures = 0;
        var factory = new RetryingFactory(() => ++failures < 3);
        _reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)reserved.LocalEndPoint!).Port, factory);
        _reactor.RunUntil(() => failures == 3, "three failed attempts");
        Assert.That(factory.StartFactoryCount, Is.EqualTo(1), "the factory starts once per connector life");
        Assert.That(factory.StopFactoryCount, Is.EqualTo(1));
    }

    private sealed class RetryingFactory(Func<bool> retry) : ClientFactory(() => new RecordingProtocol())
    {
        public int StartFactoryCount;
        public int StopFactoryCount;

        public override void ClientConnectionFailed(IConnector connector, Reactor.Defer.Failure reason)
        {
            if (retry()) connector.Connect();
        }

        public override void StartFactory() => StartFactoryCount++;

        public override void StopFactory() => StopFactoryCount++;
    }
}
