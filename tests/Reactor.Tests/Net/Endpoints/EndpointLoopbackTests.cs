using System.Net.Sockets;
using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Net.Resolution;
using Reactor.Tests.Net;
using Reactor.Time;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>Endpoints from strings on a real reactor over loopback: listen, connect, echo a message.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class EndpointLoopbackTests(SelectorKind kind) : IDisposable
{
    private readonly ReactorLoop _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });
    private readonly List<IListeningPort> _ports = [];
    private readonly List<string> _tempDirs = [];

    public void Dispose()
    {
        foreach (var port in _ports) port.StopListening();
        _reactor.Dispose();
        foreach (var dir in _tempDirs) Directory.Delete(dir, recursive: true);
    }

    private IListeningPort Listen(string description)
    {
        var d = EndpointStrings.ServerFromString(_reactor, description).Listen(Factory.For<EchoBack>());
        var port = Reactor.Testing.DeferredAssert.SuccessResultOf(d);
        _ports.Add(port);
        return port;
    }

    /// <summary>Connects, sends "hello", and returns what came back (and the protocol the Deferred gave).</summary>
    private (string Echo, IProtocol? Connected) RoundTrip(IStreamClientEndpoint endpoint)
    {
        var client = new SayHello();
        IProtocol? connected = null;
        Failure? failure = null;
        endpoint.ConnectProtocol(client).AddCallbacks<object?>(p => connected = p, f =>
        {
            failure = f;
            return null;
        });
        _reactor.RunUntil(() => failure is not null || client.Received.Length >= 5, "the echo");
        Assert.That(failure, Is.Null, () => failure!.GetTraceback());
        client.Transport.LoseConnection();
        return (client.Received.ToString(), connected);
    }

    private static bool HasIPv6Loopback()
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Test]
    public void Tcp4FromStrings()
    {
        var port = Listen("tcp:0:interface=127.0.0.1:backlog=16");
        var address = (IPEndPoint)port.GetHost();
        Assert.That(address.Address, Is.EqualTo(IPAddress.Loopback));
        var (echo, connected) = RoundTrip(EndpointStrings.ClientFromString(_reactor, $"tcp:host=127.0.0.1:port={address.Port}:timeout=10"));
        Assert.That(echo, Is.EqualTo("hello"));
        Assert.That(connected, Is.InstanceOf<SayHello>());
    }

    [Test]
    public void Tcp6FromStrings()
    {
        if (!HasIPv6Loopback()) Assert.Ignore("This sandbox has no IPv6 loopback (::1 cannot be bound).");
        var port = Listen("tcp6:0:interface=\\:\\:1");
        var address = (IPEndPoint)port.GetHost();
        Assert.That(address.Address, Is.EqualTo(IPAddress.IPv6Loopback));
        Assert.That(RoundTrip(EndpointStrings.ClientFromString(_reactor, $"tcp:\\:\\:1:{address.Port}")).Echo, Is.EqualTo("hello"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void UnixFromStrings()
    {
        var dir = Directory.CreateTempSubdirectory("reactor-ep-").FullName;
        _tempDirs.Add(dir);
        var path = Path.Combine(dir, "echo.sock");
        Listen($"unix:{EndpointDescription.Quote(path)}:mode=600");
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.Exists(path + ".lock"), Is.True, "lockfile=1 is the server default");
        Assert.That(RoundTrip(EndpointStrings.ClientFromString(_reactor, $"unix:path={EndpointDescription.Quote(path)}:lockfile=1")).Echo, Is.EqualTo("hello"));
    }

    [Test]
    public void ListeningTwiceOnAPortFailsTheDeferred()
    {
        var port = ((IPEndPoint)Listen("tcp:0:interface=127.0.0.1").GetHost()).Port;
        var d = EndpointStrings.ServerFromString(_reactor, $"tcp:{port}:interface=127.0.0.1").Listen(Factory.For<EchoBack>());
        Assert.That(Reactor.Testing.DeferredAssert.FailureResultOf(d).Value, Is.TypeOf<CannotListenError>());
    }

    [Test]
    public void ARefusedConnectionFailsTheDeferred()
    {
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, not listening: the kernel refuses
        var endpoint = EndpointStrings.ClientFromString(_reactor, $"tcp:127.0.0.1:{((IPEndPoint)reserved.LocalEndPoint!).Port}");
        Failure? failure = null;
        endpoint.Connect(Factory.For<SayHello>()).AddErrback(f => { failure = f; });
        _reactor.RunUntil(() => failure is not null, "the refusal");
        Assert.That(failure!.Value, Is.InstanceOf<ConnectionRefusedError>());
    }

    [Test]
    public void HappyEyeballsReachesAListenerOnIPv6LoopbackPastABlackHoleAndARefusal()
    {
        if (!HasIPv6Loopback()) Assert.Ignore("This sandbox has no IPv6 loopback (::1 cannot be bound).");
        // One port number, three addresses: 127.0.0.1 bound but not listening (refuses), ::1 listening,
        // and 2001:db8::1 black-holed (an attempt that never completes, from the test's fake connector).
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var portNumber = ((IPEndPoint)reserved.LocalEndPoint!).Port;
        Listen($"tcp6:{portNumber}:interface=\\:\\:1");

        var clock = new Clock();
        var resolver = new ScriptedResolver();
        var reactor = new BlackHoleReactor(_reactor, IPAddress.Parse("2001:db8::1"));
        var endpoint = new HostnameEndpoint(reactor, "dual.example", portNumber, clock: clock, resolver: resolver);
        var client = new SayHello();
        IProtocol? connected = null;
        endpoint.ConnectProtocol(client).AddCallback(p => { connected = p; });

        resolver.Queries.Single(q => q.Family == AddressFamily.InterNetworkV6).Answer.Callback([IPAddress.Parse("2001:db8::1"), IPAddress.IPv6Loopback]);
        resolver.Queries.Single(q => q.Family == AddressFamily.InterNetwork).Answer.Callback([IPAddress.Loopback]);
        Assert.That(reactor.Attempts, Is.EqualTo(new[] { "2001:db8::1" }), "IPv6 first: the black hole");

        clock.Advance(HostnameEndpoint.DefaultAttemptDelay); // the black hole never answers: next family after 250 ms
        Assert.That(reactor.Attempts, Is.EqualTo(new[] { "2001:db8::1", "127.0.0.1" }));
        _reactor.RunUntil(() => connected is not null, "the IPv6 connection");
        Assert.That(reactor.Attempts, Is.EqualTo(new[] { "2001:db8::1", "127.0.0.1", "::1" }),
            "127.0.0.1 was refused, so ::1 started at once, without waiting for the clock");
        Assert.That(reactor.BlackHole!.StoppedConnecting, Is.True, "the losing attempt was stopped");
        Assert.That(connected, Is.SameAs(client));
        Assert.That(((IPEndPoint)client.Transport.GetPeer()).Address, Is.EqualTo(IPAddress.IPv6Loopback));
        _reactor.RunUntil(() => client.Received.Length >= 5, "the echo");
        Assert.That(client.Received.ToString(), Is.EqualTo("hello"));
        client.Transport.LoseConnection();
    }

    /// <summary>
    /// A real reactor, except that connections to one address go into a black hole: a MemoryReactor
    /// records that attempt, and nothing ever completes it.
    /// </summary>
    private sealed class BlackHoleReactor(ReactorLoop real, IPAddress blackHole) : IReactorTcp
    {
        private readonly MemoryReactor _hole = new();

        public List<string> Attempts { get; } = [];

        public FakeConnector? BlackHole { get; private set; }

        public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null) =>
            real.ListenTcp(port, factory, backlog, @interface);

        public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
        {
            Attempts.Add(host);
            if (!IPAddress.Parse(host).Equals(blackHole)) return real.ConnectTcp(host, port, factory, timeout, bindAddress);
            BlackHole = (FakeConnector)_hole.ConnectTcp(host, port, factory, timeout, bindAddress);
            return BlackHole;
        }
    }

    /// <summary>Echoes every byte.</summary>
    private sealed class EchoBack : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    /// <summary>Says hello on connect and keeps what comes back.</summary>
    private sealed class SayHello : Protocol
    {
        public StringBuilder Received { get; } = new();

        public override void ConnectionMade() => Transport.Write("hello"u8);

        public override void DataReceived(ReadOnlySpan<byte> data) => Received.Append(Encoding.ASCII.GetString(data));
    }
}
