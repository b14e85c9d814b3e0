using System.Buffers;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Resolution;
using Reactor.Net.Tls;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>
/// An IReactorTcp that records what endpoints ask of it. Connection attempts stay pending until the
/// test completes or fails them, so races are driven deterministically (Twisted's MemoryReactor).
/// </summary>
internal sealed class FakeTcpReactor : IReactorTcp, IReactorUnix, IReactorSsl, IReactorTime, IReactorPluggableNameResolver
{
    public IHostnameResolver NameResolver { get; private set; } = new Reactor.Tests.Net.Resolution.ScriptedResolver();

    public IHostnameResolver InstallNameResolver(IHostnameResolver resolver)
    {
        var previous = NameResolver;
        NameResolver = resolver;
        return previous;
    }

    public List<(int Port, IProtocolFactory Factory, TlsServerOptions Options, int Backlog, string? Interface)> SslListens { get; } = [];

    public List<(string Host, int Port, ClientFactory Factory, TlsClientOptions Options, TimeSpan? Timeout, IPEndPoint? BindAddress)> SslConnects { get; } = [];

    public IListeningPort ListenSsl(int port, IProtocolFactory factory, TlsServerOptions options, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null)
    {
        SslListens.Add((port, factory, options, backlog, @interface));
        return new FakePort(new IPEndPoint(IPAddress.Loopback, port));
    }

    public IConnector ConnectSsl(string host, int port, ClientFactory factory, TlsClientOptions options, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        SslConnects.Add((host, port, factory, options, timeout, bindAddress));
        return ConnectTcp(host, port, factory, timeout, bindAddress);
    }

    public List<(string Path, IProtocolFactory Factory, int Backlog, UnixFileMode Mode, bool WantPid)> UnixListens { get; } = [];

    public List<(string Path, ClientFactory Factory, TimeSpan? Timeout, bool CheckPid)> UnixConnects { get; } = [];

    public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, UnixFileMode mode = IReactorUnix.DefaultMode, bool wantPid = false)
    {
        UnixListens.Add((path, factory, backlog, mode, wantPid));
        if (ListenError is not null) throw ListenError;
        return new FakePort(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false)
    {
        UnixConnects.Add((path, factory, timeout, checkPid));
        var connector = new FakeConnector("127.0.0.1", 1, factory, timeout, null, _clock.Now);
        Connectors.Add(connector);
        factory.StartedConnecting(connector);
        return connector;
    }

    private readonly Clock _clock;

    public FakeTcpReactor(Clock? clock = null) => _clock = clock ?? new Clock();

    public List<(int Port, IProtocolFactory Factory, int Backlog, string? Interface)> Listens { get; } = [];

    public List<FakeConnector> Connectors { get; } = [];

    public Exception? ListenError { get; set; }

    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null)
    {
        Listens.Add((port, factory, backlog, @interface));
        if (ListenError is not null) throw ListenError;
        return new FakePort(new IPEndPoint(IPAddress.Parse(string.IsNullOrEmpty(@interface) ? "0.0.0.0" : @interface), port));
    }

    public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        var connector = new FakeConnector(host, port, factory, timeout, bindAddress, _clock.Now);
        Connectors.Add(connector);
        factory.DoStart();
        factory.StartedConnecting(connector);
        return connector;
    }

    public TimeSpan Now => _clock.Now;

    public IDelayedCall CallLater(TimeSpan delay, Action action) => _clock.CallLater(delay, action);

    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _clock.GetDelayedCalls();

    private sealed class FakePort(EndPoint host) : IListeningPort
    {
        public Deferred<object?> StopListening() => Deferred.Succeed<object?>(null);

        public EndPoint GetHost() => host;
    }
}

/// <summary>One pending connection attempt; the test decides how it ends.</summary>
internal sealed class FakeConnector(string host, int port, ClientFactory factory, TimeSpan? timeout, IPEndPoint? bindAddress, TimeSpan startedAt) : IConnector
{
    public string Host { get; } = host;
    public int Port { get; } = port;
    public ClientFactory Factory { get; } = factory;
    public TimeSpan? Timeout { get; } = timeout;
    public IPEndPoint? BindAddress { get; } = bindAddress;
    public TimeSpan StartedAt { get; } = startedAt;
    public bool Stopped { get; private set; }
    public bool Ended { get; private set; }
    public FakeTransport? Transport { get; private set; }
    public IProtocol? Protocol { get; private set; }

    /// <summary>The connection is made: the factory builds a protocol (or refuses, closing the transport).</summary>
    public IProtocol? Complete()
    {
        Assert.That(Ended, Is.False, "this attempt already ended");
        Ended = true;
        var peer = new IPEndPoint(IPAddress.Parse(Host), Port);
        Transport = new FakeTransport(peer);
        Protocol = Factory.BuildProtocol(peer);
        if (Protocol is null) Transport.Disconnected = true;
        else Protocol.MakeConnection(Transport);
        return Protocol;
    }

    public void Fail(Exception reason)
    {
        Assert.That(Ended, Is.False, "this attempt already ended");
        Ended = true;
        Factory.ClientConnectionFailed(this, new Failure(reason));
        Factory.DoStop();
    }

    public void Connect() => throw new InvalidOperationException("not used by endpoints");

    public void StopConnecting()
    {
        if (Ended) throw new InvalidOperationException("Not connecting.");
        Stopped = true;
        Fail(new UserError());
    }

    public void Disconnect() => Transport?.LoseConnection();

    public EndPoint GetDestination() => new IPEndPoint(IPAddress.Parse(Host), Port);
}

/// <summary>A transport that only remembers whether it was closed.</summary>
internal sealed class FakeTransport(EndPoint peer) : ITransport
{
    public bool Disconnected { get; set; }

    public void Write(ReadOnlySpan<byte> data) { }

    public void WriteSequence(ReadOnlySequence<byte> data) { }

    public void LoseConnection() => Disconnected = true;

    public EndPoint GetPeer() => peer;

    public EndPoint GetHost() => new IPEndPoint(IPAddress.Loopback, 40000);

    public void RegisterProducer(IProducer producer, bool streaming) { }

    public void UnregisterProducer() { }

    public void PauseProducing() { }

    public void ResumeProducing() { }

    public void StopProducing() => Disconnected = true;
}

/// <summary>A protocol that records its lifecycle.</summary>
internal class RecordingProtocol : Protocol
{
    public int Made { get; private set; }

    public Failure? Lost { get; private set; }

    public override void ConnectionMade() => Made++;

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        Lost = reason;
    }
}

/// <summary>A half-closeable protocol, to check that wrappers keep the capability visible.</summary>
internal sealed class HalfCloseRecordingProtocol : RecordingProtocol, IHalfCloseableProtocol
{
    public int ReadLost { get; private set; }

    public void ReadConnectionLost() => ReadLost++;

    public void WriteConnectionLost() { }
}

/// <summary>A factory that counts what it built and its starts and stops.</summary>
internal sealed class CountingFactory(Func<IProtocol?> build) : Factory
{
    public List<IProtocol?> Built { get; } = [];

    public int Starts { get; private set; }

    public int Stops { get; private set; }

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        var p = build();
        Built.Add(p);
        return p;
    }

    public override void StartFactory() => Starts++;

    public override void StopFactory() => Stops++;
}
