using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Selectors;
using Reactor.Time;
using Reactor.Core.Internal;

namespace Reactor.Net.Tcp;

/// <summary>
/// One attempt of a <see cref="TcpConnector"/>: resolves the host off the reactor thread if it is
/// a name, starts a non-blocking connect, waits for writability, and reads SO_ERROR to learn how
/// it ended — or gives up when the timeout fires or the connector stops it.
/// </summary>
internal sealed class TcpClientAttempt : IWriteDescriptor, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    private readonly ITransportHost _host;
    private readonly TcpConnector _connector;
    private readonly string _hostName;
    private readonly int _port;
    private readonly IPEndPoint? _bindAddress;
    private IDelayedCall? _timeoutCall;
    private IPEndPoint? _destination;
    private bool _done;
    private int _fd = -1;

    public TcpClientAttempt(ITransportHost host, TcpConnector connector, string hostName, int port, IPEndPoint? bindAddress)
    {
        _host = host;
        _connector = connector;
        _hostName = hostName;
        _port = port;
        _bindAddress = bindAddress;
    }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>Starts the attempt; it fails with <see cref="TimeoutError"/> if not connected within <paramref name="timeout"/>.</summary>
    public void Start(TimeSpan timeout)
    {
        _timeoutCall = _host.CallLater(timeout, () => Fail(new TimeoutError()));
        if (IPAddress.TryParse(_hostName, out var literal))
        {
            // From the loop, as Twisted: failures must not re-enter the factory inside Connect().
            _host.CallLater(TimeSpan.Zero, () => BeginConnect(literal));
            return;
        }
        if (_host.NameResolver is { } resolver)
        {
            // The reactor's pluggable resolver (Twisted's connectTCP uses reactor.nameResolver);
            // it delivers on the loop thread.
            resolver.ResolveHostName(_hostName).AddCallbacks<object?>(
                addresses =>
                {
                    Resolved(addresses, null);
                    return null;
                },
                failure =>
                {
                    Resolved(null, failure.Value);
                    return null;
                });
            return;
        }
        // getaddrinfo blocks: run it on the thread pool and hand the answer back to the loop.
        Dns.GetHostAddressesAsync(_hostName).ContinueWith(
            task => _host.CallFromThread(() => Resolved(
                task.IsCompletedSuccessfully ? task.Result : null,
                task.IsCompletedSuccessfully ? null : task.Exception?.InnerException ?? new DnsLookupError())),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Resolved(IReadOnlyList<IPAddress>? addresses, Exception? error)
    {
        if (_done) return;
        if (addresses is null)
        {
            var inner = error is DnsLookupError { InnerException: { } cause } ? cause : error;
            Fail(new DnsLookupError($"DNS lookup failed: address '{_hostName}' not found: {inner?.Message}", inner));
            return;
        }
        var address = Choose(addresses);
        if (address is null)
        {
            Fail(new DnsLookupError($"DNS lookup failed: address '{_hostName}' has no IP address of a usable family."));
            return;
        }
        BeginConnect(address);
    }

    /// <summary>
    /// The first address of the bind address's family, else the first IPv4 one (Twisted resolves
    /// IPv4 only; we fall back to IPv6 rather than fail), else the first IPv6 one.
    /// </summary>
    private IPAddress? Choose(IReadOnlyList<IPAddress> addresses)
    {
        if (_bindAddress is not null) return addresses.FirstOrDefault(a => a.AddressFamily == _bindAddress.AddressFamily);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
    }

    private void BeginConnect(IPAddress address)
    {
        if (_done) return;
        _destination = new IPEndPoint(address, _port);
        try
        {
            _fd = SocketOptions.CreateStreamSocket(_host.Syscalls, address.AddressFamily);
        }
        catch (SocketException ex)
        {
            Fail(new ConnectError($"Could not create a socket: {ex.Message}", ex));
            return;
        }

        if (_bindAddress is not null)
        {
            var bound = SocketOptions.Bind(_host.Syscalls, _fd, _bindAddress);
            if (!bound.IsSuccess)
            {
                Fail(new ConnectError($"Could not bind to {_bindAddress}: {bound.Message}", bound.ToSocketException()));
                return;
            }
        }

        var errno = SocketOptions.Connect(_host.Syscalls, _fd, _destination);
        if (errno.IsSuccess) Succeed();
        else if (errno == Errno.EINPROGRESS || errno == Errno.EAGAIN) _host.AddWriter(this);
        else Fail(ConnectionErrorMapping.ForConnect(errno));
    }

    /// <summary>Writable: the connect finished, successfully or not (SO_ERROR tells).</summary>
    public Exception? DoWrite()
    {
        if (_done) return null;
        _host.Syscalls.GetSocketError(_fd, out var pending, out var errno);
        if (!errno.IsSuccess) pending = errno;
        var readiness = _host.CurrentReadiness;
        // An emulation may report the error in the event and clear SO_ERROR (libkqueue does): an error
        // readiness is never a successful connect, whatever SO_ERROR reads.
        if (pending.IsSuccess && readiness.ErrorCode != 0) pending = new Errno(readiness.ErrorCode);
        if (pending.IsSuccess && (readiness.Events & SelectorEvents.Error) != 0)
        {
            Fail(new ConnectError("The connect failed: the selector reported an error without an error code."));
            return null;
        }
        if (pending.IsSuccess) Succeed();
        else Fail(ConnectionErrorMapping.ForConnect(pending));
        return null;
    }

    /// <summary>The reactor dropped the attempt (an error report, or shutdown).</summary>
    public void ConnectionLost(Failure reason)
    {
        if (_done || _fd < 0)
        {
            Fail(reason.Value);
            return;
        }
        // The selector reported an error: SO_ERROR holds the real reason (ECONNREFUSED, ...).
        _host.Syscalls.GetSocketError(_fd, out var pending, out _);
        if (pending.IsSuccess && _host.CurrentReadiness.ErrorCode != 0) pending = new Errno(_host.CurrentReadiness.ErrorCode);
        Fail(pending.IsSuccess ? reason.Value as ConnectError ?? new ConnectError(reason.Value.Message, reason.Value) : ConnectionErrorMapping.ForConnect(pending));
    }

    /// <summary>Gives up: closes the socket and tells the connector (once).</summary>
    public void Fail(Exception reason)
    {
        if (_done) return;
        Abandon();
        _connector.ConnectionFailed(reason);
    }

    /// <summary>Stops the attempt and closes its socket without telling the connector (it stopped the attempt).</summary>
    public void Abandon()
    {
        if (_done) return;
        Finish();
        if (_fd >= 0)
        {
            _host.Syscalls.Close(_fd, out _);
            _fd = -1;
        }
    }

    private void Succeed()
    {
        Finish();
        var fd = _fd;
        _fd = -1;
        _connector.Connected(fd, _destination!);
    }

    private void Finish()
    {
        _done = true;
        if (_timeoutCall is { Active: true }) _timeoutCall.Cancel();
        _timeoutCall = null;
        _host.RemoveWriter(this);
    }
}
