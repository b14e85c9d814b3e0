using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Unix;

/// <summary>
/// An outgoing UNIX stream connection (Twisted's <c>unix.Connector</c>): starts the factory once
/// per life, tells it about each attempt, and lets it reconnect from its callbacks. A UNIX connect
/// either finishes at once or is refused; a full backlog (EAGAIN) is retried every few
/// milliseconds until the timeout.
/// </summary>
internal sealed class UnixConnector : IConnector
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(10);
    private readonly ITransportHost _host;
    private readonly string _path;
    private readonly UnixDomainSocketEndPoint _destination;
    private readonly ClientFactory _factory;
    private readonly TimeSpan _timeout;
    private readonly bool _checkPid;
    private UnixConnection? _connection;
    private IDelayedCall? _pending;
    private int _fd = -1;
    private TimeSpan _deadline;
    private bool _factoryStarted;
    private bool _connecting;

    public UnixConnector(ITransportHost host, string path, ClientFactory factory, TimeSpan timeout, bool checkPid)
    {
        _host = host;
        _path = path;
        _destination = UnixPaths.ToEndPoint(path, nameof(path));
        _factory = factory;
        _timeout = timeout;
        _checkPid = checkPid;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Already connecting or connected.</exception>
    public void Connect()
    {
        if (_connecting || _connection is not null) throw new InvalidOperationException("Cannot connect while connecting or connected.");
        _connecting = true;
        if (!_factoryStarted)
        {
            _factory.DoStart();
            _factoryStarted = true;
        }
        _deadline = _host.Now + _timeout;
        try
        {
            _factory.StartedConnecting(this);
        }
        catch (Exception ex)
        {
            NetLog.StartedConnectingThrew(_host.Logger, ex, _factory.GetType().FullName);
        }
        // StartedConnecting may have stopped the attempt; the outcome is always reported from the loop.
        if (_connecting) _pending = _host.CallLater(TimeSpan.Zero, Attempt);
    }

    /// <inheritdoc/>
    public void StopConnecting()
    {
        if (!_connecting) throw new InvalidOperationException("StopConnecting called while not connecting.");
        Fail(new UserError());
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        if (_connecting) StopConnecting();
        else _connection?.LoseConnection();
    }

    /// <inheritdoc/>
    public EndPoint GetDestination() => _destination;

    private void Attempt()
    {
        _pending = null;
        if (!_connecting) return;
        if (_checkPid && !UnixSocketLock.IsHeld(_path + ".lock"))
        {
            Fail(new NoLiveServerError(UnixPaths.Printable(_path)));
            return;
        }
        if (_fd < 0)
        {
            try
            {
                _fd = SocketOptions.CreateSocket(_host.Syscalls, NativeConstants.AF_UNIX);
            }
            catch (SocketException ex)
            {
                Fail(new ConnectError($"Could not create a UNIX socket: {ex.Message}", ex));
                return;
            }
        }

        var errno = UnixSocketFiles.Connect(_fd, _destination);
        if (errno.IsSuccess || errno == Errno.EISCONN)
        {
            Connected();
            return;
        }
        // A full backlog (EAGAIN on Linux) or a connect under way (EINPROGRESS/EALREADY on the BSDs): try again shortly.
        if (errno.IsWouldBlock || errno == Errno.EINPROGRESS || errno == Errno.EALREADY)
        {
            if (_host.Now >= _deadline)
            {
                Fail(new TimeoutError($"Connecting to {UnixPaths.Printable(_path)} timed out after {_timeout.TotalSeconds} s."));
                return;
            }
            _pending = _host.CallLater(RetryInterval, Attempt);
            return;
        }
        Fail(UnixSocketFiles.ConnectFailure(errno, _path));
    }

    private void Connected()
    {
        var fd = _fd;
        _fd = -1;
        _connecting = false;
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(_destination);
        }
        catch (Exception ex)
        {
            NetLog.UnixBuildProtocolFailed(_host.Logger, ex, _factory.GetType().FullName, _path);
            protocol = null;
        }
        var connection = new UnixConnection(_host, fd, UnnamedUnixEndPoint.Instance, _destination, this);
        _connection = connection;
        if (protocol is null)
        {
            // Twisted: the factory declined; close at once, and the factory hears ClientConnectionLost.
            connection.Start(Stream.StreamTransport.DetachedProtocol.Instance);
            connection.LoseConnection();
            return;
        }
        connection.Start(protocol);
    }

    private void Fail(Exception reason)
    {
        if (_pending is { Active: true }) _pending.Cancel();
        _pending = null;
        if (_fd >= 0)
        {
            _host.Syscalls.Close(_fd, out _);
            _fd = -1;
        }
        _connecting = false;
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
        if (_connecting || _connection is not null || !_factoryStarted) return;
        _factoryStarted = false;
        _factory.DoStop();
    }

    /// <inheritdoc/>
    public override string ToString() => $"UnixConnector({UnixPaths.Printable(_path)})";
}
