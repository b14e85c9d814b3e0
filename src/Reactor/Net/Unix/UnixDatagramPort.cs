using System.Net.Sockets;
using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Udp;
using Reactor.Net.Unix;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;

namespace Reactor.Net.Unix;

/// <summary>
/// A UNIX datagram socket (Twisted's <c>unix.DatagramPort</c> and <c>ConnectedDatagramPort</c>):
/// bound to a path (or the abstract namespace, or nothing), optionally connected to one peer.
/// Made by <see cref="IReactorUnixDatagram.ListenUnixDatagram"/> and <see cref="IReactorUnixDatagram.ConnectUnixDatagram"/>.
/// </summary>
/// <remarks>
/// Unlike UDP, a UNIX datagram socket is reliable and ordered: a full receiver makes the sender's
/// <c>Write</c> return false (EAGAIN) rather than losing the datagram silently. The socket file
/// a port created is removed when it closes.
/// </remarks>
internal sealed class UnixDatagramPort : DatagramPort, IUnixDatagramPort
{
    /// <summary>The default permissions of the socket file: read and write for everyone (0666), as Twisted.</summary>
    public const UnixFileMode DefaultMode = IUnixDatagramPort.DefaultMode;

    private readonly UnixEndPointCodec _peers = new();
    private readonly EndPoint _host;
    private readonly string? _ownedFile;
    private EndPoint? _peer;

    private UnixDatagramPort(ITransportHost host, Socket socket, DatagramProtocol protocol, int maxPacketSize, EndPoint bound, string? ownedFile, IDatagramSyscalls? syscalls)
        : base(host, socket, protocol, maxPacketSize, syscalls)
    {
        _host = bound;
        _ownedFile = ownedFile;
    }

    private protected override string Description => $"UNIX datagram port {Describe(_host)}";

    /// <summary>Binds <paramref name="path"/>, attaches the protocol and starts reading.</summary>
    /// <exception cref="CannotListenError">The path could not be bound (it exists, or its directory does not).</exception>
    internal static UnixDatagramPort Listen(ITransportHost host, string path, DatagramProtocol protocol, int maxPacketSize, UnixFileMode mode, IDatagramSyscalls? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        var endPoint = UnixPaths.ToEndPoint(path, nameof(path));
        var socket = Bind(host.Syscalls, endPoint, mode, out var ownedFile);
        var port = new UnixDatagramPort(host, socket, protocol, maxPacketSize, endPoint, ownedFile, syscalls);
        port.Start();
        return port;
    }

    /// <summary>
    /// Binds <paramref name="bindPath"/> (or nothing), connects to <paramref name="path"/>, attaches
    /// the protocol and starts reading. A failure is reported to <see cref="ConnectedDatagramProtocol.ConnectionFailed"/>
    /// (as Twisted) and the returned port is already closed.
    /// </summary>
    internal static UnixDatagramPort Connect(ITransportHost host, string path, ConnectedDatagramProtocol protocol, int maxPacketSize,
        UnixFileMode mode, string? bindPath, IDatagramSyscalls? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        var peer = UnixPaths.ToEndPoint(path, nameof(path));
        EndPoint bound = UnnamedUnixEndPoint.Instance;
        string? ownedFile = null;
        Socket socket;
        if (bindPath is null)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
        else
        {
            var local = UnixPaths.ToEndPoint(bindPath, nameof(bindPath));
            socket = Bind(host.Syscalls, local, mode, out ownedFile);
            bound = local;
        }
        socket.Blocking = false;

        var port = new UnixDatagramPort(host, socket, protocol, maxPacketSize, bound, ownedFile, syscalls);
        try
        {
            socket.Connect(peer);
        }
        catch (SocketException ex)
        {
            port.StopListening();
            var reason = ex.SocketErrorCode == SocketError.ConnectionRefused
                ? new ConnectionRefusedError($"Nothing is listening on {UnixPaths.Printable(path)}.", ex)
                : new ConnectError($"Could not connect to {UnixPaths.Printable(path)}: {ex.Message}", ex);
            try
            {
                protocol.ConnectionFailed(new Failure(reason));
            }
            catch (Exception userError)
            {
                port.LogUserError(userError, "ConnectionFailed");
            }
            return port;
        }
        port._peer = peer;
        port.Start();
        return port;
    }

    /// <summary>
    /// Attaches <paramref name="protocol"/> to <paramref name="socket"/>, a UNIX datagram socket
    /// the reactor now owns (see <see cref="IReactorSocket.AdoptDatagramPort"/>). Its socket file
    /// was made elsewhere and is left in place when the port closes.
    /// </summary>
    internal static UnixDatagramPort Adopt(ITransportHost host, Socket socket, DatagramProtocol protocol, int maxPacketSize, EndPoint bound, EndPoint? peer)
    {
        var port = new UnixDatagramPort(host, socket, protocol, maxPacketSize, bound, ownedFile: null, syscalls: null) { _peer = peer };
        port.Start();
        return port;
    }

    /// <inheritdoc/>
    public override EndPoint GetHost() => _host;

    /// <inheritdoc/>
    public override EndPoint? GetPeer() => _peer;

    private protected override EndPoint DecodeSender(ReadOnlySpan<byte> address) => _peers.Decode(address);

    private protected override int EncodeDestination(EndPoint to, Span<byte> address)
    {
        if (to is not UnixDomainSocketEndPoint unix)
        {
            throw new ArgumentException($"A UNIX datagram port sends to a UnixDomainSocketEndPoint, not a {to.GetType().Name}.", nameof(to));
        }
        return _peers.Encode(unix, address);
    }

    private protected override int DatagramLimit(int attemptedSize)
    {
        // Linux refuses a datagram longer than the send buffer minus its own bookkeeping (32 bytes).
        try
        {
            return Math.Max(0, Socket.SendBufferSize - 32);
        }
        catch (SocketException)
        {
            return attemptedSize - 1;
        }
    }

    private protected override void OnClosed()
    {
        if (_ownedFile is not null) File.Delete(_ownedFile);
    }

    /// <summary>
    /// Makes a socket and binds it to <paramref name="endPoint"/>, its socket file (if it has one)
    /// created with <paramref name="mode"/> rather than narrowed after bind (issue 12 item 8).
    /// </summary>
    /// <remarks>
    /// A datagram socket receives as soon as it is bound, so a chmod after bind(2) leaves a window
    /// in which anyone the umask lets through can queue datagrams. On Linux, bind(2) creates the file
    /// with the unbound socket's own mode less the umask, so an fchmod first means the file is never
    /// wider than <paramref name="mode"/>; the chmod after bind only adds back what the umask took
    /// away (widening is harmless). Not done: narrowing the umask (process-wide, racing every other
    /// thread), or binding in a private directory and renaming the file into place (the socket keeps
    /// the name it was bound to, so every peer would see, and reply to, a path that no longer exists).
    /// The BSDs and macOS refuse fchmod on a socket (EINVAL); there the chmod after bind is all there
    /// is, as in Twisted. UnixDatagramSeamTests records the order.
    /// </remarks>
    private static Socket Bind(ISyscalls syscalls, UnixDomainSocketEndPoint endPoint, UnixFileMode mode, out string? ownedFile)
    {
        ownedFile = null;
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Blocking = false;
        var fd = (int)socket.Handle;
        var file = UnixPaths.FilePath(endPoint);
        var errno = Errno.Success;
        if (file is not null && syscalls.ChangeDescriptorMode(fd, (int)mode, out errno) != 0 && errno == Errno.EINVAL)
        {
            errno = Errno.Success;
        }
        if (errno.IsSuccess) errno = UnixSocketFiles.Bind(syscalls, fd, endPoint);
        var bound = errno.IsSuccess;
        if (bound && file is not null) syscalls.ChangeMode(file, (int)mode, out errno);
        if (!errno.IsSuccess)
        {
            socket.Dispose();
            if (bound && file is not null) File.Delete(file);
            throw new CannotListenError(Describe(endPoint), errno.ToSocketException());
        }
        ownedFile = file;
        return socket;
    }

    private static string Describe(EndPoint endPoint) => endPoint is UnixDomainSocketEndPoint ? UnixPaths.Printable(endPoint.ToString()!) : endPoint.ToString()!;
}
