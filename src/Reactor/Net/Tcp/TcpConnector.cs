using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Tcp;

/// <summary>
/// An outgoing TCP connection and its attempts (Twisted's <c>tcp.Connector</c>): starts the
/// factory once per life, tells it about each attempt, and lets it reconnect from
/// <c>ClientConnectionFailed</c> / <c>ClientConnectionLost</c> by calling <see cref="Connect"/>.
/// </summary>
internal sealed class TcpConnector : IConnector
{
    private System.Diagnostics.Activity? _activity;
    private readonly ITransportHost _host;
    private readonly ClientFactory _factory;
    private readonly string _hostName;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly IPEndPoint? _bindAddress;
    private TcpClientAttempt? _attempt;
    private TcpConnection? _connection;
    private bool _factoryStarted;

    public TcpConnector(ITransportHost host, string hostName, int port, ClientFactory factory, TimeSpan timeout, IPEndPoint? bindAddress)
    {
        _host = host;
        _hostName = hostName;
        _port = port;
        _factory = factory;
        _timeout = timeout;
        _bindAddress = bindAddress;
    }

    /// <summary>Where the connector is in its life.</summary>
    public ConnectorState State { get; private set; } = ConnectorState.Disconnected;

    /// <summary>The transport of the current connection, if connected.</summary>
    public ITcpTransport? Transport => _connection;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Already connecting or connected.</exception>
    public void Connect()
    {
        if (State != ConnectorState.Disconnected)
        {
            throw new InvalidOperationException($"Cannot connect while {State.ToString().ToLowerInvariant()}.");
        }
        State = ConnectorState.Connecting;
        if (!_factoryStarted)
        {
            _factory.DoStart();
            _factoryStarted = true;
        }
        // Traced once per attempt (resolution and connect), never per read or write.
        _activity = _host.Instruments.StartActivity("connect");
        _activity?.SetTag("server.address", _hostName);
        _activity?.SetTag("server.port", _port);
        _activity?.SetTag("network.transport", "tcp");
        var attempt = new TcpClientAttempt(_host, this, _hostName, _port, _bindAddress);
        _attempt = attempt;
        _factory.StartedConnecting(this);
        // StartedConnecting may have stopped the attempt (StopConnecting) already.
        if (_attempt == attempt) attempt.Start(_timeout);
    }

    /// <inheritdoc/>
    public void StopConnecting()
    {
        if (State != ConnectorState.Connecting || _attempt is null)
        {
            throw new InvalidOperationException($"StopConnecting called while {State.ToString().ToLowerInvariant()}, not connecting.");
        }
        _attempt.Fail(new UserError());
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        if (State == ConnectorState.Connecting) StopConnecting();
        else if (State == ConnectorState.Connected) _connection?.LoseConnection();
    }

    /// <inheritdoc/>
    public EndPoint GetDestination() =>
        IPAddress.TryParse(_hostName, out var address) ? new IPEndPoint(address, _port) : new DnsEndPoint(_hostName, _port);

    /// <summary>The attempt succeeded: build the protocol and start the connection.</summary>
    internal void Connected(int fd, IPEndPoint peer)
    {
        _attempt = null;
        EndActivity(null, peer);
        State = ConnectorState.Connected;
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            NetLog.ConnectedBuildProtocolFailed(_host.Logger, ex, _factory.GetType().FullName, peer);
            protocol = null;
        }
        var connection = new TcpConnection(_host, fd, peer, this);
        _connection = connection;
        if (protocol is null)
        {
            // Twisted: the factory declined; close at once, and the factory hears ClientConnectionLost.
            connection.Start(Stream.StreamTransport.DetachedProtocol.Instance);
            connection.LoseConnection();
            return;
        }
        try
        {
            connection.Start(protocol);
        }
        catch (Exception ex)
        {
            // The reactor refused the descriptor: the socket is closed and the protocol never
            // connected, so the factory hears a failed attempt, not a half-started connection.
            _connection = null;
            ConnectionFailed(ex);
        }
    }

    private void EndActivity(Exception? error, IPEndPoint? peer)
    {
        if (_activity is not { } activity) return;
        _activity = null;
        if (peer is not null) activity.SetTag("network.peer.address", peer.Address.ToString());
        if (error is not null)
        {
            activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
        }
        activity.Dispose();
    }

    /// <summary>The attempt failed: tell the factory, which may call <see cref="Connect"/> again.</summary>
    internal void ConnectionFailed(Exception reason)
    {
        _attempt = null;
        EndActivity(reason, null);
        State = ConnectorState.Disconnected;
        try
        {
            _factory.ClientConnectionFailed(this, new Failure(reason));
        }
        catch (Exception ex)
        {
            NetLog.ClientConnectionFailedThrew(_host.Logger, ex, _factory.GetType().FullName);
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
            NetLog.ClientConnectionLostThrew(_host.Logger, ex, _factory.GetType().FullName);
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

    /// <inheritdoc/>
    public override string ToString() => $"TcpConnector({_hostName}:{_port}, {State})";
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
