using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

/// <summary>
/// The life cycle every outgoing stream connection shares (Twisted's <c>base.BaseConnector</c>):
/// starts the factory once per life, tells it about each attempt (a throwing
/// <c>StartedConnecting</c> is logged, never fatal), builds the protocol on success, reports a
/// failed attempt or a lost connection, lets the factory reconnect from those callbacks, and stops
/// the factory once it did not. A family (TCP, UNIX) says only how one attempt runs, how it is
/// abandoned, and which connection wraps the connected socket.
/// </summary>
/// <remarks>Reactor thread only. Outcomes are always reported from the loop, never inside <see cref="Connect"/>.</remarks>
internal abstract class StreamConnector : IConnector
{
    private readonly ClientFactory _factory;
    private StreamTransport? _connection;
    private bool _factoryStarted;
    // Counts Connect calls: StartedConnecting may stop this attempt and start another; only the newest begins.
    private int _attempts;

    protected StreamConnector(ITransportHost host, ClientFactory factory, TimeSpan timeout)
    {
        Host = host;
        _factory = factory;
        Timeout = timeout;
    }

    /// <summary>The reactor.</summary>
    protected ITransportHost Host { get; }

    /// <summary>How long one attempt may take.</summary>
    protected TimeSpan Timeout { get; }

    /// <summary>Where the connector is in its life.</summary>
    public ConnectorState State { get; private set; } = ConnectorState.Disconnected;

    /// <summary>The transport of the current connection, if connected.</summary>
    public IStreamTransport? Transport => _connection;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Already connecting or connected.</exception>
    public void Connect()
    {
        if (State != ConnectorState.Disconnected)
        {
            throw new InvalidOperationException($"Cannot connect while {State.ToString().ToLowerInvariant()}.");
        }
        State = ConnectorState.Connecting;
        var attempt = ++_attempts;
        if (!_factoryStarted)
        {
            _factory.DoStart();
            _factoryStarted = true;
        }
        PrepareAttempt();
        try
        {
            _factory.StartedConnecting(this);
        }
        catch (Exception ex)
        {
            NetLog.StartedConnectingThrew(Host.Logger, ex, _factory.GetType().FullName);
        }
        if (State == ConnectorState.Connecting && attempt == _attempts) BeginAttempt();
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Not connecting.</exception>
    public void StopConnecting()
    {
        if (State != ConnectorState.Connecting)
        {
            throw new InvalidOperationException($"StopConnecting called while {State.ToString().ToLowerInvariant()}, not connecting.");
        }
        AbandonAttempt();
        AttemptFailed(new UserError());
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        if (State == ConnectorState.Connecting) StopConnecting();
        else if (State == ConnectorState.Connected) _connection?.LoseConnection();
    }

    /// <inheritdoc/>
    public abstract EndPoint GetDestination();

    /// <summary>Readies an attempt before the factory hears <c>StartedConnecting</c> (which may stop it).</summary>
    protected abstract void PrepareAttempt();

    /// <summary>Starts the prepared attempt; it ends with <see cref="AttemptSucceeded"/> or <see cref="AttemptFailed"/>, from the loop.</summary>
    protected abstract void BeginAttempt();

    /// <summary>Releases the current attempt (socket, timers) without reporting anything.</summary>
    protected abstract void AbandonAttempt();

    /// <summary>Wraps the connected descriptor in the family's connection, which reports its end to <see cref="ConnectionLost"/>.</summary>
    protected abstract StreamTransport CreateConnection(int fd);

    /// <summary>The attempt ended (<paramref name="error"/> null: connected to <paramref name="peer"/>); for tracing.</summary>
    protected virtual void AttemptEnded(Exception? error, EndPoint? peer)
    {
    }

    /// <summary>The attempt connected <paramref name="fd"/> to <paramref name="peer"/>: build the protocol and start the connection.</summary>
    protected void AttemptSucceeded(int fd, EndPoint peer)
    {
        AttemptEnded(null, peer);
        State = ConnectorState.Connected;
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            NetLog.ConnectedBuildProtocolFailed(Host.Logger, ex, _factory.GetType().FullName, peer);
            protocol = null;
        }
        var connection = CreateConnection(fd);
        _connection = connection;
        try
        {
            // The factory declined: close at once, and the factory hears ClientConnectionLost (Twisted).
            connection.Start(protocol ?? StreamTransport.DetachedProtocol.Instance);
        }
        catch (Exception ex)
        {
            // The reactor refused the descriptor: the socket is closed and the protocol never
            // connected, so the factory hears a failed attempt, not a half-started connection.
            _connection = null;
            AttemptFailed(ex);
            return;
        }
        if (protocol is null) connection.LoseConnection();
    }

    /// <summary>The attempt failed (its resources already released): tell the factory, which may call <see cref="Connect"/> again.</summary>
    protected void AttemptFailed(Exception reason)
    {
        AttemptEnded(reason, null);
        State = ConnectorState.Disconnected;
        try
        {
            _factory.ClientConnectionFailed(this, new Failure(reason));
        }
        catch (Exception ex)
        {
            NetLog.ClientConnectionFailedThrew(Host.Logger, ex, _factory.GetType().FullName);
        }
        StopFactoryIfIdle();
    }

    /// <summary>The connection ended (after the protocol heard): tell the factory, which may reconnect.</summary>
    internal void ConnectionLost(Failure reason)
    {
        _connection = null;
        State = ConnectorState.Disconnected;
        try
        {
            _factory.ClientConnectionLost(this, reason);
        }
        catch (Exception ex)
        {
            NetLog.ClientConnectionLostThrew(Host.Logger, ex, _factory.GetType().FullName);
        }
        StopFactoryIfIdle();
    }

    private void StopFactoryIfIdle()
    {
        // The factory did not reconnect from its callback: this connector's use of it is over.
        if (State != ConnectorState.Disconnected || !_factoryStarted) return;
        _factoryStarted = false;
        _factory.DoStop();
    }
}

/// <summary>Where a connector is in its life.</summary>
internal enum ConnectorState
{
    /// <summary>Not trying, not connected.</summary>
    Disconnected,

    /// <summary>Resolving or connecting.</summary>
    Connecting,

    /// <summary>Connected.</summary>
    Connected,
}
