using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Stream;

/// <summary>
/// One connector life cycle for every stream family (issue 18): TCP and UNIX connectors keep the
/// same guards and the same state model, so each case runs on both, on every backend.
/// </summary>
[TestFixtureSource(nameof(Fixtures))]
public sealed class StreamConnectorTests(string family, SelectorKind kind)
{
    private static IEnumerable<TestFixtureData> Fixtures() =>
        from family in new[] { "tcp", "unix" }
        from kind in Backends.Available()
        select new TestFixtureData(family, kind);

    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;
    private IListeningPort _port = null!;
    private string _dir = null!;
    private readonly List<RecordingProtocol> _accepted = new();

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });
        _accepted.Clear();
        _dir = Directory.CreateTempSubdirectory("reactor-connector-").FullName;
        var factory = Factory.ForProtocol(() =>
        {
            var p = new RecordingProtocol();
            _accepted.Add(p);
            return p;
        });
        _port = family == "tcp"
            ? _reactor.ListenTcp(0, factory, @interface: "127.0.0.1")
            : _reactor.ListenUnix(Path.Combine(_dir, "s.sock"), factory);
    }

    [TearDown]
    public void TearDown()
    {
        _port.StopListening();
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private IConnector Connect(ClientFactory factory) => family == "tcp"
        ? _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(_port), factory)
        : _reactor.ConnectUnix(Path.Combine(_dir, "s.sock"), factory);

    [Test]
    public void AThrowingStartedConnectingIsLoggedAndTheAttemptGoesOn()
    {
        var client = new RecordingProtocol();
        var factory = new ScriptedFactory(() => client) { OnStarted = _ => throw new InvalidOperationException("user bug") };
        Connect(factory);
        _reactor.RunUntil(() => client.ConnectionMadeCount == 1, "the connection despite the throwing callback");
        Assert.That(_logger.Errors.Select(e => e.Exception?.Message), Has.Member("user bug"));
    }

    [Test]
    public void ConnectWhileConnectingAndStopConnectingWhileConnectedAreRefused()
    {
        var client = new RecordingProtocol();
        var factory = new ScriptedFactory(() => client);
        var connector = Connect(factory);
        Assert.Throws<InvalidOperationException>(connector.Connect, "connect while connecting");
        _reactor.RunUntil(() => client.ConnectionMadeCount == 1, "the connection");
        Assert.Throws<InvalidOperationException>(connector.Connect, "connect while connected");
        Assert.Throws<InvalidOperationException>(connector.StopConnecting, "stop while connected");
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => factory.Lost.Count == 1, "the loss");
        Assert.Throws<InvalidOperationException>(connector.StopConnecting, "stop while disconnected");
    }

    [Test]
    public void StopConnectingFromStartedConnectingFailsWithUserErrorAndStopsTheFactoryOnce()
    {
        var factory = new ScriptedFactory(() => new RecordingProtocol()) { OnStarted = connector => connector.StopConnecting() };
        Connect(factory);
        Assert.That(factory.Failed.Select(f => f.Value), Has.One.TypeOf<UserError>());
        Assert.That((factory.Starts, factory.Stops), Is.EqualTo((1, 1)));
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(_accepted, Is.Empty, "no connection was made");
    }

    [Test]
    public void TheFactoryMayReconnectFromItsCallbacksAndIsStartedOncePerLife()
    {
        var clients = new List<RecordingProtocol>();
        var factory = new ScriptedFactory(() =>
        {
            var p = new RecordingProtocol();
            clients.Add(p);
            return p;
        });
        factory.OnLost = connector =>
        {
            if (clients.Count < 3) connector.Connect();
        };
        Connect(factory);
        _reactor.RunUntil(() => clients.Count == 1 && clients[0].ConnectionMadeCount == 1, "the first connection");
        for (var i = 0; i < 2; i++)
        {
            clients[^1].Transport.LoseConnection();
            var expected = i + 2;
            _reactor.RunUntil(() => clients.Count == expected && clients[^1].ConnectionMadeCount == 1, "a reconnection");
        }
        clients[^1].Transport.LoseConnection();
        _reactor.RunUntil(() => factory.Lost.Count == 3, "the last loss");
        Assert.That((factory.Starts, factory.Stops), Is.EqualTo((1, 1)), "one DoStart and one DoStop for the whole life");
    }

    [Test]
    public void AFactoryThatDeclinesHearsConnectionLost()
    {
        var factory = new ScriptedFactory(() => null);
        Connect(factory);
        _reactor.RunUntil(() => factory.Lost.Count == 1, "the declined connection's loss");
        Assert.That(factory.Failed, Is.Empty);
        Assert.That((factory.Starts, factory.Stops), Is.EqualTo((1, 1)));
    }

    private sealed class ScriptedFactory(Func<IProtocol?> build) : ClientFactory
    {
        public Action<IConnector>? OnStarted { get; init; }

        public Action<IConnector>? OnLost { get; set; }

        public List<Failure> Failed { get; } = new();

        public List<Failure> Lost { get; } = new();

        public int Starts { get; private set; }

        public int Stops { get; private set; }

        public override IProtocol? BuildProtocol(EndPoint address) => build();

        public override void StartedConnecting(IConnector connector) => OnStarted?.Invoke(connector);

        public override void ClientConnectionFailed(IConnector connector, Failure reason) => Failed.Add(reason);

        public override void ClientConnectionLost(IConnector connector, Failure reason)
        {
            Lost.Add(reason);
            OnLost?.Invoke(connector);
        }

        public override void StartFactory() => Starts++;

        public override void StopFactory() => Stops++;
    }
}
