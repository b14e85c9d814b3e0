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
/// A listening UNIX stream socket (Twisted's <c>unix.Port</c>): optionally guarded by a lock file
/// (<c>wantPid</c>), its socket file created with a mode and removed on stop; each accepted
/// connection is a <see cref="UnixConnection"/> over the shared stream transport.
/// </summary>
internal sealed unsafe class UnixPort : IListeningPort, IReadDescriptor
{
    /// <summary>At most this many accepts per readiness report, so one busy port cannot starve the loop.</summary>
    internal const int MaxAcceptsPerRead = 128;

    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly UnixTransportHost _host;
    private readonly IProtocolFactory _factory;
    private readonly UnixDomainSocketEndPoint _address;
    private readonly string? _file;
    private readonly UnixSocketLock? _lock;
    private readonly UnixEndPointCodec _peers = new();
    private Deferred<object?>? _stopped;
    private IDelayedCall? _acceptRetry;
    private int _fd;

    private UnixPort(UnixTransportHost host, IProtocolFactory factory, int fd, UnixDomainSocketEndPoint address, string? file, UnixSocketLock? lockFile)
    {
        _host = host;
        _factory = factory;
        _fd = fd;
        _address = address;
        _file = file;
        _lock = lockFile;
    }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>The lock file held (with <c>wantPid</c>), if any.</summary>
    internal string? LockPath => _lock?.Path;

    /// <summary>
    /// Takes the lock (with <paramref name="wantPid"/>), removes a stale socket file, binds,
    /// listens, sets the file's mode, starts the factory and starts accepting.
    /// </summary>
    /// <exception cref="CannotListenError">A live server holds the lock, or the path could not be bound.</exception>
    public static UnixPort Listen(UnixTransportHost host, string path, IProtocolFactory factory, int backlog, UnixFileMode mode, bool wantPid)
    {
        var endPoint = UnixPaths.ToEndPoint(path, nameof(path));
        var file = UnixPaths.FilePath(endPoint);
        var printable = UnixPaths.Printable(path);

        // The abstract namespace needs no lock: the kernel refuses a second bind, and a name dies with its socket.
        UnixSocketLock? lockFile = null;
        if (wantPid && file is not null)
        {
            try
            {
                lockFile = UnixSocketLock.TryAcquire(file + ".lock", out var holder);
                if (lockFile is null)
                {
                    throw new CannotListenError(printable, new IOException(
                        $"another server{(holder is int pid ? $" (pid {pid})" : "")} holds the lock file {file}.lock"));
                }
            }
            catch (IOException ex)
            {
                throw new CannotListenError(printable, ex);
            }
            // We hold the lock, so any socket file here was left by a server that is gone.
            if (File.Exists(file) && UnixSocketFiles.IsSocketFile(file))
            {
                host.Logger.LogInformation("Removing the stale socket file {Path} left by a server that is no longer running", file);
                File.Delete(file);
            }
        }

        int fd;
        try
        {
            fd = SocketOptions.CreateSocket(host.Syscalls, NativeConstants.AF_UNIX);
        }
        catch (SocketException ex)
        {
            lockFile?.Dispose();
            throw new CannotListenError(printable, ex);
        }
        var errno = UnixSocketFiles.Bind(fd, endPoint);
        var bound = errno.IsSuccess;
        if (bound && SocketInterop.Listen(fd, backlog) != 0) errno = Errno.FromLastPInvokeError();
        if (!errno.IsSuccess)
        {
            host.Syscalls.Close(fd, out _);
            if (bound && file is not null) File.Delete(file);
            lockFile?.Dispose();
            throw new CannotListenError(printable, errno.ToSocketException());
        }
        if (file is not null && !OperatingSystem.IsWindows()) File.SetUnixFileMode(file, mode);

        var port = new UnixPort(host, factory, fd, endPoint, file, lockFile);
        factory.DoStart();
        host.AddReader(port);
        host.Logger.LogDebug("UNIX port {Path} listening", printable);
        return port;
    }

    /// <summary>
    /// Starts accepting on <paramref name="fd"/>, a listening socket the reactor now owns (an
    /// adopted duplicate, see <see cref="IReactorSocket.AdoptStreamPort"/>). Its socket file was
    /// made elsewhere and is left in place when the port stops.
    /// </summary>
    public static UnixPort Adopt(UnixTransportHost host, IProtocolFactory factory, int fd, UnixDomainSocketEndPoint address)
    {
        var port = new UnixPort(host, factory, fd, address, file: null, lockFile: null);
        factory.DoStart();
        host.AddReader(port);
        return port;
    }

    /// <inheritdoc/>
    public EndPoint GetHost() => _address;

    /// <summary>Accepts every pending connection, up to <see cref="MaxAcceptsPerRead"/>.</summary>
    public Exception? DoRead()
    {
        const int capacity = 128;
        var address = stackalloc byte[capacity];
        for (var i = 0; i < MaxAcceptsPerRead && _fd >= 0; i++)
        {
            int length = capacity;
            var fd = _host.Syscalls.Accept(_fd, address, &length, out var errno);
            if (fd < 0)
            {
                if (errno.IsWouldBlock) return null;
                if (errno == Errno.EINTR || errno == Errno.ECONNABORTED) continue;
                if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM)
                {
                    PauseAccepting(errno);
                    return null;
                }
                _host.Logger.LogError("accept() on UNIX port {Path} failed: {Error}", this, errno);
                return null;
            }
            StartConnection(fd, UnixSocketFiles.Describe(_peers, address, length));
        }
        return null;
    }

    private void StartConnection(int fd, EndPoint peer)
    {
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            _host.Logger.LogError(ex, "BuildProtocol of {Factory} failed on {Port}; closing the connection", _factory.GetType().FullName, this);
            protocol = null;
        }
        if (protocol is null)
        {
            _host.Syscalls.Close(fd, out _);
            return;
        }
        new UnixConnection(_host, fd, _address, peer).Start(protocol);
    }

    /// <summary>Out of descriptors or memory: stop watching for a moment rather than spin, then try again.</summary>
    private void PauseAccepting(Errno errno)
    {
        _host.Logger.LogWarning("accept() on UNIX port {Path} failed with {Error}; pausing accepting for {Delay} ms", this, errno, AcceptRetryDelay.TotalMilliseconds);
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

    /// <summary>The reactor dropped the port (shutdown, or an error): close it and stop the factory.</summary>
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
        _host.Syscalls.Close(_fd, out _);
        _fd = -1;
        // The file goes before the lock: a server that takes the lock next finds a clean path.
        try
        {
            if (_file is not null) File.Delete(_file);
        }
        catch (IOException ex)
        {
            _host.Logger.LogWarning(ex, "Could not remove the socket file {Path}", _file);
        }
        _lock?.Dispose();
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
    public override string ToString() => $"UnixPort({UnixPaths.Printable(_address.ToString())})";
}
