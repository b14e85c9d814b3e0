using System.Net.Sockets;
using System.Net;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Udp;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;

namespace Reactor.Net.Udp;

/// <summary>
/// A UDP socket listening on a port (Twisted's <c>udp.Port</c> and <c>udp.MulticastPort</c>):
/// IPv4 or IPv6, optionally connected to one peer, with broadcast and multicast options.
/// Made by <see cref="IReactorUdp.ListenUdp"/> and <see cref="IReactorMulticast.ListenMulticast"/>.
/// </summary>
/// <remarks>
/// Each sender is given one <see cref="IPEndPoint"/> instance that is reused for its later
/// datagrams (up to 4,096 senders remembered), so steady traffic allocates nothing per datagram.
/// </remarks>
internal sealed partial class UdpPort : DatagramPort, IUdpPort
{
    /// <inheritdoc cref="IUdpPort.MaxIPv4Datagram"/>
    public const int MaxIPv4Datagram = IUdpPort.MaxIPv4Datagram;

    /// <inheritdoc cref="IUdpPort.MaxIPv6Datagram"/>
    public const int MaxIPv6Datagram = IUdpPort.MaxIPv6Datagram;

    private readonly IPEndPointCodec _senders = new();
    private readonly IPEndPoint _host;
    private IPEndPoint? _peer;

    private UdpPort(ITransportHost host, Socket socket, DatagramProtocol protocol, int maxPacketSize, IDatagramSyscalls? syscalls)
        : base(host, socket, protocol, maxPacketSize, syscalls)
    {
        _host = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The port's address family: <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily AddressFamily => _host.AddressFamily;

    private protected override string Description => $"UDP port {_host}";

    /// <summary>Binds, attaches the protocol (its <c>StartProtocol</c> runs) and starts reading.</summary>
    /// <exception cref="CannotListenError">The address could not be bound.</exception>
    /// <exception cref="ArgumentException">The port, interface or packet size is invalid.</exception>
    internal static UdpPort Listen(ITransportHost host, int port, DatagramProtocol protocol, string? @interface,
        int maxPacketSize, bool listenMultiple = false, IDatagramSyscalls? syscalls = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketSize, MaxIPv6Datagram);
        var address = ParseInterface(@interface);
        var endPoint = new IPEndPoint(address, port);

        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Blocking = false;
            // "::" hears IPv4 too, as a Python socket (and so Twisted) does on Linux by default.
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            if (listenMultiple)
            {
                // Several processes (or ports) on one multicast port, as Twisted's listenMultiple.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                SetReusePort(socket);
            }
            socket.Bind(endPoint);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new CannotListenError(endPoint.ToString(), ex);
        }

        var udp = new UdpPort(host, socket, protocol, maxPacketSize, syscalls);
        udp.Start();
        return udp;
    }

    /// <summary>
    /// Attaches <paramref name="protocol"/> to <paramref name="socket"/>, a bound UDP socket the
    /// reactor now owns (see <see cref="IReactorSocket.AdoptDatagramPort"/>); a connected socket
    /// keeps its peer.
    /// </summary>
    internal static UdpPort Adopt(ITransportHost host, Socket socket, DatagramProtocol protocol, int maxPacketSize)
    {
        var udp = new UdpPort(host, socket, protocol, maxPacketSize, syscalls: null) { _peer = SocketOptions.GetRemoteEndPoint(host.Syscalls, (int)socket.Handle) };
        udp.Start();
        return udp;
    }

    /// <inheritdoc/>
    public override EndPoint GetHost() => _host;

    /// <inheritdoc/>
    public override EndPoint? GetPeer() => _peer;

    /// <inheritdoc/>
    public void Connect(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        ThrowIfClosed();
        if (_peer is not null) throw new InvalidOperationException($"{Description} is already connected to {_peer}; reconnecting is not supported.");
        if (port is < 1 or > IPEndPoint.MaxPort) throw new ArgumentOutOfRangeException(nameof(port), port, "The peer's port must be 1-65535.");
        if (!IPAddress.TryParse(host, out var address)) throw new ArgumentException($"'{host}' is not an IPv4 or IPv6 literal; UDP Connect does not resolve names.", nameof(host));
        var peer = new IPEndPoint(RequireFamily(address, nameof(host)), port);
        Socket.Connect(peer);
        _peer = peer;
    }

    /// <inheritdoc/>
    public void SetBroadcastAllowed(bool enabled)
    {
        ThrowIfClosed();
        Socket.EnableBroadcast = enabled;
    }

    /// <inheritdoc/>
    public bool GetBroadcastAllowed()
    {
        ThrowIfClosed();
        return Socket.EnableBroadcast;
    }

    private protected override EndPoint DecodeSender(ReadOnlySpan<byte> address) =>
        _senders.Decode(address) ?? new IPEndPoint(AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6None : IPAddress.None, 0);

    private protected override int EncodeDestination(EndPoint to, Span<byte> address)
    {
        if (to is not IPEndPoint ip) throw new ArgumentException($"A UDP port sends to an IPEndPoint, not a {to.GetType().Name}.", nameof(to));
        var family = RequireFamily(ip.Address, nameof(to));
        return IPEndPointCodec.Encode(ReferenceEquals(family, ip.Address) ? ip : new IPEndPoint(family, ip.Port), address);
    }

    private protected override int DatagramLimit(int attemptedSize)
    {
        var protocolLimit = AddressFamily == AddressFamily.InterNetworkV6 ? MaxIPv6Datagram : MaxIPv4Datagram;
        if (attemptedSize > protocolLimit || _peer is null || DatagramConstants.IP_MTU == 0) return protocolLimit;
        // Smaller than the protocol allows yet refused: the path MTU (known on a connected socket) is the limit.
        try
        {
            var level = AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
            var mtu = (int)Socket.GetSocketOption(level, (SocketOptionName)DatagramConstants.IP_MTU)!;
            return mtu - (AddressFamily == AddressFamily.InterNetworkV6 ? 48 : 28);
        }
        catch (SocketException)
        {
            return protocolLimit;
        }
    }

    /// <summary>
    /// The address to use on this port's socket: an IPv4 address on a dual-stack IPv6 port (bound
    /// to "::") becomes its IPv4-mapped form; any other family mismatch is an error, as in Twisted.
    /// </summary>
    private IPAddress RequireFamily(IPAddress address, string parameter)
    {
        if (address.AddressFamily == AddressFamily) return address;
        if (address.AddressFamily == AddressFamily.InterNetwork && _host.Address.Equals(IPAddress.IPv6Any)) return address.MapToIPv6();
        throw new ArgumentException($"{address} is not an {(AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address, the family of {Description}.", parameter);
    }

    private static IPAddress ParseInterface(string? @interface)
    {
        if (string.IsNullOrEmpty(@interface)) return IPAddress.Any;
        if (IPAddress.TryParse(@interface, out var address)) return address;
        throw new ArgumentException($"'{@interface}' is not an IPv4 or IPv6 literal.", nameof(@interface));
    }

    private static void SetReusePort(Socket socket)
    {
        // SO_REUSEPORT has no SocketOptionName; its number differs per OS.
        var value = 1;
        socket.SetRawSocketOption(NativeConstants.SOL_SOCKET, NativeConstants.SO_REUSEPORT, BitConverter.GetBytes(value));
    }
}
