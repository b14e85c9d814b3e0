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

namespace Reactor.Net.Tcp;

/// <summary>
/// A listening TCP socket (Twisted's <c>tcp.Port</c>): accepts connections in bursts when
/// readable, builds a protocol for each, and backs off when the process runs out of descriptors.
/// </summary>
internal sealed unsafe class TcpPort : IListeningPort, IReadDescriptor
{
    /// <summary>At most this many accepts per readiness report, so one busy port cannot starve the loop.</summary>
    internal const int MaxAcceptsPerRead = 128;

    private readonly ITransportHost _host;
    private readonly ISyscalls _syscalls;
    private readonly IProtocolFactory _factory;
    private readonly IPEndPoint _address;
    private Deferred<object?>? _stopped;
    private IDelayedCall? _acceptRetry;
    private int _fd;

    private TcpPort(ITransportHost host, ISyscalls syscalls, IProtocolFactory factory, int fd, IPEndPoint address)
    {
        _host = host;
        _syscalls = syscalls;
        _factory = factory;
        _fd = fd;
        _address = address;
    }

    /// <summary>How long accepting pauses after EMFILE / ENFILE / ENOBUFS / ENOMEM, unless set otherwise.</summary>
    internal static readonly TimeSpan DefaultAcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>How long this port pauses accepting after EMFILE / ENFILE / ENOBUFS / ENOMEM.</summary>
    internal TimeSpan AcceptRetryDelay { get; set; } = DefaultAcceptRetryDelay;

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>How many times accepting has been paused for lack of descriptors or memory.</summary>
    internal int AcceptPauses { get; private set; }

    /// <summary>True while accepting is paused after resource exhaustion.</summary>
    internal bool AcceptingPaused => _acceptRetry is { Active: true };

    /// <summary>
    /// Binds, listens, starts the factory and starts accepting. <paramref name="syscalls"/> lets
    /// tests fail accept(2) on purpose.
    /// </summary>
    /// <exception cref="CannotListenError">The address could not be bound or listened on.</exception>
    public static TcpPort Listen(ITransportHost host, IProtocolFactory factory, IPEndPoint endPoint, int backlog, ISyscalls? syscalls = null)
    {
        syscalls ??= host.Syscalls;
        int fd;
        try
        {
            fd = SocketOptions.CreateStreamSocket(syscalls, endPoint.AddressFamily);
        }
        catch (SocketException ex)
        {
            throw new CannotListenError(endPoint.ToString(), ex);
        }

        // SO_REUSEADDR, as Twisted on POSIX: a restarted server can bind while old connections sit in TIME_WAIT.
        SocketOptions.SetInt(syscalls, fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_REUSEADDR, 1);
        var errno = SocketOptions.Bind(fd, endPoint);
        if (errno.IsSuccess && SocketInterop.Listen(fd, backlog) != 0) errno = Errno.FromLastPInvokeError();
        if (!errno.IsSuccess)
        {
            syscalls.Close(fd, out _);
            throw new CannotListenError(endPoint.ToString(), errno.ToSocketException());
        }

        return Start(host, syscalls, factory, fd);
    }

    /// <summary>
    /// Starts accepting on <paramref name="fd"/>, a listening socket the reactor now owns (an
    /// adopted duplicate, see <see cref="IReactorSocket.AdoptStreamPort"/>); the factory starts now.
    /// </summary>
    public static TcpPort Adopt(ITransportHost host, IProtocolFactory factory, int fd) => Start(host, host.Syscalls, factory, fd);

    private static TcpPort Start(ITransportHost host, ISyscalls syscalls, IProtocolFactory factory, int fd)
    {
        var port = new TcpPort(host, syscalls, factory, fd, SocketOptions.GetLocalEndPoint(fd));
        factory.DoStart();
        host.AddReader(port);
        return port;
    }

    /// <inheritdoc/>
    public EndPoint GetHost() => _address;

    /// <summary>Accepts every pending connection, up to <see cref="MaxAcceptsPerRead"/>.</summary>
    public Exception? DoRead()
    {
        var address = stackalloc byte[SocketAddressCodec.MaxLength];
        for (var i = 0; i < MaxAcceptsPerRead && _fd >= 0; i++)
        {
            int length = SocketAddressCodec.MaxLength;
            var fd = _syscalls.Accept(_fd, address, &length, out var errno);
            if (fd < 0)
            {
                if (errno.IsWouldBlock) return null;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM)
                {
                    PauseAccepting(errno);
                    return null;
                }
                // ECONNABORTED, EPERM (firewall): that one client is gone; the rest may be fine.
                if (errno == Errno.ECONNABORTED || errno == Errno.EPERM) continue;
                _host.Logger.LogError("accept() on {Address} failed: {Error}", _address, errno);
                return null;
            }
            var peer = SocketAddressCodec.Read(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxLength));
            StartConnection(fd, peer);
        }
        return null;
    }

    private void StartConnection(int fd, IPEndPoint peer)
    {
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            _host.Logger.LogError(ex, "BuildProtocol of {Factory} failed for {Peer}; closing the connection", _factory.GetType().FullName, peer);
            protocol = null;
        }
        if (protocol is null)
        {
            // The factory refused the connection: close it at once.
            _syscalls.Close(fd, out _);
            return;
        }
        new TcpConnection(_host, fd, peer).Start(protocol);
    }

    /// <summary>
    /// Out of descriptors or memory: stop watching the socket for a moment (a level-triggered
    /// selector would report it readable again at once: a busy loop), then try again. Existing
    /// connections carry on; waiting clients stay in the kernel's backlog.
    /// </summary>
    private void PauseAccepting(Errno errno)
    {
        AcceptPauses++;
        _host.Logger.LogWarning("accept() on {Address} failed with {Error}; pausing accepting for {Delay} ms", _address, errno, AcceptRetryDelay.TotalMilliseconds);
        _host.RemoveReader(this);
        _acceptRetry = _host.CallLater(AcceptRetryDelay, () =>
        {
            _acceptRetry = null;
            if (_fd >= 0) _host.AddReader(this);
        });
    }

    /// <inheritdoc/>
    public Deferred<object?> StopListening()
    {
        if (_stopped is not null) return _stopped;
        Close();
        _stopped = Deferred.Succeed<object?>(null);
        return _stopped;
    }

    /// <summary>The reactor dropped the socket (shutdown, or an error): close it and stop the factory.</summary>
    public void ConnectionLost(Failure reason)
    {
        Close();
        _stopped ??= Deferred.Succeed<object?>(null);
    }

    private void Close()
    {
        if (_fd < 0) return;
        if (_acceptRetry is { Active: true }) _acceptRetry.Cancel();
        _acceptRetry = null;
        _host.RemoveReader(this);
        _syscalls.Close(_fd, out _);
        _fd = -1;
        try
        {
            _factory.DoStop();
        }
        catch (Exception ex)
        {
            _host.Logger.LogError(ex, "DoStop of {Factory} failed", _factory.GetType().FullName);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"TcpPort({_address})";
}
