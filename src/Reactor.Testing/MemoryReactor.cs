using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>
/// A reactor that records what is asked of it instead of doing it (Twisted's
/// <c>twisted.internet.testing.MemoryReactor</c>): TCP, UNIX and TLS listen and connect calls are
/// kept in <see cref="TcpServers"/>, <see cref="TcpClients"/>, <see cref="UnixServers"/>,
/// <see cref="UnixClients"/>, <see cref="SslServers"/> and <see cref="SslClients"/>, nothing is
/// bound or connected, and <see cref="Run"/> returns at once. Each connect call returns a
/// <see cref="FakeConnector"/> (also in <see cref="Connectors"/>) whose attempt the test makes
/// succeed or fail; a <see cref="ConnectionCompleter"/> turns a TCP attempt into a pumped in-memory
/// connection to a recorded server. Use a <see cref="MemoryReactorClock"/> when time matters too.
/// </summary>
public partial class MemoryReactor : IReactorTcp, IReactorCore, IReactorFromThreads
{
    private readonly List<SystemEventTrigger> _triggers = [];
    private readonly Dictionary<SystemEventTrigger, Delegate> _triggerCallables = [];
    private readonly Queue<Action> _threadCalls = new();

    /// <summary>Every <see cref="ListenTcp"/> call, in order.</summary>
    public List<TcpServerRecord> TcpServers { get; } = [];

    /// <summary>Every <see cref="ConnectTcp"/> call, in order.</summary>
    public List<TcpClientRecord> TcpClients { get; } = [];

    /// <summary>The connectors returned by every connect call (TCP, UNIX and TLS), in order.</summary>
    public List<FakeConnector> Connectors { get; } = [];

    /// <summary>
    /// When set, every listen call (TCP, UNIX, TLS) is recorded and then throws this exception, as
    /// a reactor does when it cannot listen (Twisted's <c>RaisingMemoryReactor</c>).
    /// </summary>
    public Exception? ListenError { get; set; }

    // The connector of each TcpClients entry, by index: ConnectionCompleter pairs them, and
    // Connectors mixes every family.
    private readonly List<FakeConnector> _tcpConnectors = [];

    /// <summary>True while "running": from <see cref="Run"/> to <see cref="Stop"/> or <see cref="Crash"/>.</summary>
    public bool Running { get; private set; }

    /// <summary>True once <see cref="Run"/> has been called.</summary>
    public bool HasRun { get; private set; }

    /// <summary>True once <see cref="Stop"/> has been called.</summary>
    public bool HasStopped { get; private set; }

    /// <summary>True once <see cref="Crash"/> has been called.</summary>
    public bool HasCrashed { get; private set; }

    /// <summary>The system event triggers registered and not removed.</summary>
    public IReadOnlyList<SystemEventTrigger> Triggers => _triggers;

    /// <summary>Records the call and returns a port bound nowhere; the factory's <c>DoStart</c> runs, as on a real reactor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port or backlog is out of range.</exception>
    /// <exception cref="Exception"><see cref="ListenError"/>, when set.</exception>
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        var address = string.IsNullOrEmpty(@interface) ? IPAddress.Any : IPAddress.Parse(@interface);
        TcpServers.Add(new TcpServerRecord(port, factory, backlog, @interface));
        return Listen(new IPEndPoint(address, port), factory);
    }

    /// <summary>
    /// Records the call, starts the factory and tells it the attempt started, and returns a
    /// connector that never connects by itself (see <see cref="FakeConnector.Succeed"/> and
    /// <see cref="ConnectionCompleter"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The host is empty or the port out of range.</exception>
    public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        EndPoint destination = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        TcpClients.Add(new TcpClientRecord(host, port, factory, timeout, bindAddress));
        var connector = new FakeConnector(destination, factory);
        _tcpConnectors.Add(connector);
        return StartConnector(connector);
    }

    /// <summary>The connector returned for <c>TcpClients[index]</c>.</summary>
    internal FakeConnector TcpConnector(int index) => _tcpConnectors[index];

    /// <summary>The end of every listen call: throws <see cref="ListenError"/> if set, else starts the factory and returns the port.</summary>
    private FakePort Listen(EndPoint host, IProtocolFactory factory)
    {
        if (ListenError is not null) throw ListenError;
        factory.DoStart();
        return new FakePort(host, factory);
    }

    /// <summary>The end of every connect call: lists the connector, then starts its first attempt (the factory may stop it at once).</summary>
    private FakeConnector StartConnector(FakeConnector connector)
    {
        Connectors.Add(connector);
        connector.Begin();
        return connector;
    }

    /// <summary>Starts "running": fires the startup triggers and returns at once.</summary>
    /// <exception cref="ReactorStateError">Already running.</exception>
    public void Run()
    {
        if (Running) throw new ReactorStateError("The reactor is already running.");
        HasRun = true;
        Running = true;
        FireSystemEvent(SystemEvent.Startup);
    }

    /// <summary>Stops "running": fires the shutdown triggers.</summary>
    /// <exception cref="ReactorStateError">Not running.</exception>
    public void Stop()
    {
        if (!Running) throw new ReactorStateError("Can't stop a reactor that isn't running.");
        HasStopped = true;
        FireSystemEvent(SystemEvent.Shutdown);
        Running = false;
    }

    /// <summary>Stops "running" without firing the shutdown triggers.</summary>
    public void Crash()
    {
        HasCrashed = true;
        Running = false;
    }

    /// <summary>Runs the calls queued with <see cref="CallFromThread"/>; there is nothing else to wait for.</summary>
    public virtual void Iterate(TimeSpan timeout) => RunThreadCalls();

    /// <inheritdoc/>
    public SystemEventTrigger? CallWhenRunning(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (Running)
        {
            action();
            return null;
        }
        return AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Startup, action);
    }

    /// <inheritdoc/>
    public SystemEventTrigger AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var trigger = new SystemEventTrigger(phase, systemEvent);
        _triggers.Add(trigger);
        _triggerCallables.Add(trigger, action);
        return trigger;
    }

    /// <summary>
    /// Registers a trigger that returns a Deferred. The memory reactor runs it when the event
    /// fires but does not wait for the Deferred: there is no loop to wait in.
    /// </summary>
    public SystemEventTrigger AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Func<Deferred<object?>?> trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var registered = new SystemEventTrigger(phase, systemEvent);
        _triggers.Add(registered);
        _triggerCallables.Add(registered, trigger);
        return registered;
    }

    /// <inheritdoc/>
    public void RemoveSystemEventTrigger(SystemEventTrigger trigger)
    {
        _triggers.Remove(trigger);
        _triggerCallables.Remove(trigger);
    }

    /// <summary>Runs the triggers of <paramref name="systemEvent"/>, phase by phase, in registration order.</summary>
    public void FireSystemEvent(SystemEvent systemEvent)
    {
        foreach (var phase in new[] { TriggerPhase.Before, TriggerPhase.During, TriggerPhase.After })
        {
            foreach (var trigger in _triggers.Where(t => t.Event == systemEvent && t.Phase == phase).ToList())
            {
                switch (_triggerCallables[trigger])
                {
                    case Action action:
                        action();
                        break;
                    case Func<Deferred<object?>?> returnsDeferred:
                        returnsDeferred();
                        break;
                }
            }
        }
    }

    /// <summary>Queues <paramref name="action"/>; it runs at the next <see cref="Iterate"/> or <see cref="RunThreadCalls"/>.</summary>
    public void CallFromThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_threadCalls) _threadCalls.Enqueue(action);
    }

    /// <summary>Runs the calls queued with <see cref="CallFromThread"/>, in order; returns how many ran.</summary>
    public int RunThreadCalls()
    {
        var ran = 0;
        while (true)
        {
            Action? call;
            lock (_threadCalls)
            {
                if (!_threadCalls.TryDequeue(out call)) return ran;
            }
            call();
            ran++;
        }
    }
}

/// <summary>A <see cref="MemoryReactor.ListenTcp"/> call.</summary>
/// <param name="Port">The port asked for.</param>
/// <param name="Factory">The factory given.</param>
/// <param name="Backlog">The backlog given.</param>
/// <param name="Interface">The interface given, or null.</param>
public sealed record TcpServerRecord(int Port, IProtocolFactory Factory, int Backlog, string? Interface);

/// <summary>A <see cref="MemoryReactor.ConnectTcp"/> call.</summary>
/// <param name="Host">The host given.</param>
/// <param name="Port">The port given.</param>
/// <param name="Factory">The factory given.</param>
/// <param name="Timeout">The timeout given, or null.</param>
/// <param name="BindAddress">The bind address given, or null.</param>
public sealed record TcpClientRecord(string Host, int Port, ClientFactory Factory, TimeSpan? Timeout, IPEndPoint? BindAddress);
