using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Unix;

/// <summary>
/// A listening UNIX stream socket (Twisted's <c>unix.Port</c>): optionally guarded by a lock file
/// (<c>wantPid</c>), its socket file created with a mode and removed on stop; each accepted
/// connection is a <see cref="UnixConnection"/> over the shared stream transport. Accepting is the
/// shared <see cref="AcceptingPort"/> core.
/// </summary>
internal sealed unsafe class UnixPort : AcceptingPort
{
    // Enough for any sockaddr_un (110 bytes on Linux, 106 on the BSDs).
    private const int AddressCapacity = 128;
    private readonly ITransportHost _host;
    private readonly UnixDomainSocketEndPoint _address;
    private readonly string? _file;
    private readonly UnixSocketLock? _lock;
    private readonly UnixEndPointCodec _peers = new();

    private UnixPort(ITransportHost host, IProtocolFactory factory, int fd, UnixDomainSocketEndPoint address, string? file, UnixSocketLock? lockFile)
        : base(host, host.Syscalls, factory, fd)
    {
        _host = host;
        _address = address;
        _file = file;
        _lock = lockFile;
    }

    /// <inheritdoc/>
    protected override int PeerAddressCapacity => AddressCapacity;

    /// <summary>The lock file held (with <c>wantPid</c>), if any.</summary>
    internal string? LockPath => _lock?.Path;

    /// <summary>
    /// Takes the lock (with <paramref name="wantPid"/>), removes a stale socket file, binds,
    /// sets the file's mode, listens, starts the factory and starts accepting.
    /// </summary>
    /// <exception cref="CannotListenError">A live server holds the lock, or the path could not be bound.</exception>
    public static UnixPort Listen(ITransportHost host, string path, IProtocolFactory factory, int backlog, UnixFileMode mode, bool wantPid)
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
                lockFile = UnixSocketLock.TryAcquire(host.Syscalls, file + ".lock", out var holder);
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
            if (File.Exists(file) && UnixSocketFiles.IsSocketFile(host.Syscalls, file))
            {
                NetLog.StaleSocketFileRemoved(host.Logger, file);
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
        var syscalls = host.Syscalls;
        var errno = UnixSocketFiles.Bind(syscalls, fd, endPoint);
        var bound = errno.IsSuccess;
        // The mode is set between bind and listen: a socket that is not listening refuses every
        // connect, so no client can get in under the default mode before it is narrowed (issue 12).
        // UnixListenSeamTests records this order through the seam.
        if (bound && file is not null) syscalls.ChangeMode(file, (int)mode, out errno);
        if (bound && errno.IsSuccess) syscalls.Listen(fd, backlog, out errno);
        if (!errno.IsSuccess)
        {
            syscalls.Close(fd, out _);
            if (bound && file is not null) File.Delete(file);
            lockFile?.Dispose();
            throw new CannotListenError(printable, errno.ToSocketException());
        }
        var port = new UnixPort(host, factory, fd, endPoint, file, lockFile);
        port.StartAccepting();
        NetLog.UnixPortListening(host.Logger, printable);
        return port;
    }

    /// <summary>
    /// Starts accepting on <paramref name="fd"/>, a listening socket the reactor now owns (an
    /// adopted duplicate, see <see cref="IReactorSocket.AdoptStreamPort"/>). Its socket file was
    /// made elsewhere and is left in place when the port stops.
    /// </summary>
    public static UnixPort Adopt(ITransportHost host, IProtocolFactory factory, int fd, UnixDomainSocketEndPoint address)
    {
        var port = new UnixPort(host, factory, fd, address, file: null, lockFile: null);
        port.StartAccepting();
        return port;
    }

    /// <inheritdoc/>
    public override EndPoint GetHost() => _address;

    /// <inheritdoc/>
    protected override EndPoint DescribePeer(byte* address, int length) => UnixSocketFiles.Describe(_peers, address, length);

    /// <inheritdoc/>
    protected override void StartTransport(int fd, EndPoint peer, IProtocol protocol) =>
        new UnixConnection(_host, fd, _address, peer).Start(protocol);

    /// <summary>The file goes before the lock: a server that takes the lock next finds a clean path.</summary>
    protected override void OnClosed()
    {
        try
        {
            if (_file is not null) File.Delete(_file);
        }
        catch (IOException ex)
        {
            NetLog.SocketFileNotRemoved(_host.Logger, ex, _file);
        }
        _lock?.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"UnixPort({UnixPaths.Printable(_address.ToString())})";
}
