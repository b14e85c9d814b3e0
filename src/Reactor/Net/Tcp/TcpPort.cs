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

namespace Reactor.Net.Tcp;

/// <summary>
/// A listening TCP socket (Twisted's <c>tcp.Port</c>): binds and listens, then accepts through the shared
/// <see cref="AcceptingPort"/> core; each accepted connection is a <see cref="TcpConnection"/>.
/// </summary>
internal sealed unsafe class TcpPort : AcceptingPort
{
    private readonly IPEndPoint _address;
    private readonly IConnectionHandOff? _handOff;

    private TcpPort(ITransportHost host, ISyscalls syscalls, IProtocolFactory factory, int fd, IPEndPoint address, IConnectionHandOff? handOff)
        : base(host, syscalls, factory, fd)
    {
        _address = address;
        _handOff = handOff;
    }

    /// <inheritdoc/>
    protected override int PeerAddressCapacity => SocketAddressCodec.MaxLength;

    /// <summary>
    /// Binds, listens, starts the factory and starts accepting. <paramref name="syscalls"/> lets
    /// tests fail accept(2) on purpose; <paramref name="reusePort"/> sets SO_REUSEPORT before the bind
    /// (several sockets share the address and the kernel spreads connections over them);
    /// <paramref name="handOff"/> may take accepted connections to other loops.
    /// </summary>
    /// <exception cref="CannotListenError">The address could not be bound or listened on.</exception>
    public static TcpPort Listen(ITransportHost host, IProtocolFactory factory, IPEndPoint endPoint, int backlog, ISyscalls? syscalls = null,
        bool reusePort = false, IConnectionHandOff? handOff = null)
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
        var errno = reusePort
            ? SocketOptions.SetInt(syscalls, fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_REUSEPORT, 1)
            : Errno.Success;
        if (errno.IsSuccess) errno = SocketOptions.Bind(syscalls, fd, endPoint);
        if (errno.IsSuccess) syscalls.Listen(fd, backlog, out errno);
        if (!errno.IsSuccess)
        {
            syscalls.Close(fd, out _);
            throw new CannotListenError(endPoint.ToString(), errno.ToSocketException());
        }

        return Start(host, syscalls, factory, fd, handOff);
    }

    /// <summary>
    /// Starts accepting on <paramref name="fd"/>, a listening socket the reactor now owns (an
    /// adopted duplicate, see <see cref="IReactorSocket.AdoptStreamPort"/>); the factory starts now.
    /// </summary>
    public static TcpPort Adopt(ITransportHost host, IProtocolFactory factory, int fd) => Start(host, host.Syscalls, factory, fd, null);

    private static TcpPort Start(ITransportHost host, ISyscalls syscalls, IProtocolFactory factory, int fd, IConnectionHandOff? handOff)
    {
        var port = new TcpPort(host, syscalls, factory, fd, SocketOptions.GetLocalEndPoint(syscalls, fd), handOff);
        port.StartAccepting();
        return port;
    }

    /// <inheritdoc/>
    public override EndPoint GetHost() => _address;

    /// <inheritdoc/>
    protected override EndPoint DescribePeer(byte* address, int length) =>
        SocketAddressCodec.Read(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxLength));

    /// <inheritdoc/>
    protected override bool TryHandOff(int fd, EndPoint peer) => _handOff is not null && _handOff.TryTake(fd, (IPEndPoint)peer);

    /// <inheritdoc/>
    protected override void StartTransport(int fd, EndPoint peer, IProtocol protocol) =>
        new TcpConnection(Host, fd, (IPEndPoint)peer).Start(protocol);

    /// <inheritdoc/>
    public override string ToString() => $"TcpPort({_address})";
}
