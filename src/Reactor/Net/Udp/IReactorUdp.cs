using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Udp;

/// <summary>Listening for UDP datagrams (Twisted's <c>IReactorUDP</c>).</summary>
public interface IReactorUdp
{
    /// <summary>
    /// Binds a UDP socket and attaches <paramref name="protocol"/> to it (its <c>StartProtocol</c>
    /// runs now). Datagrams arrive at <see cref="DatagramProtocol.DatagramReceived"/>; the
    /// protocol writes with <c>Transport.Write(data, to)</c>.
    /// </summary>
    /// <param name="port">The port; 0 lets the OS pick one (read it back with <see cref="IListeningPort.GetHost"/>).</param>
    /// <param name="protocol">The protocol; one instance per port at a time.</param>
    /// <param name="interface">
    /// The address to bind: an IPv4 or IPv6 literal (<c>"::"</c> for every IPv6 interface). Null or
    /// empty binds every IPv4 interface (0.0.0.0), as Twisted's default.
    /// </param>
    /// <param name="maxPacketSize">The largest datagram delivered (1-65,527; default 8,192); longer ones are dropped and logged.</param>
    /// <exception cref="CannotListenError">The address could not be bound.</exception>
    /// <exception cref="ArgumentException">The port, interface or packet size is invalid.</exception>
    IUdpPort ListenUdp(int port, DatagramProtocol protocol, string? @interface = null, int maxPacketSize = IDatagramPort.DefaultMaxPacketSize);
}

/// <summary>Listening for UDP multicast (Twisted's <c>IReactorMulticast</c>).</summary>
public interface IReactorMulticast
{
    /// <summary>
    /// As <see cref="IReactorUdp.ListenUdp"/>, for a port that will join multicast groups (every
    /// <see cref="IUdpPort"/> can). With <paramref name="listenMultiple"/>, SO_REUSEADDR and
    /// SO_REUSEPORT are set so several sockets may bind the same group port.
    /// </summary>
    /// <exception cref="CannotListenError">The address could not be bound.</exception>
    /// <exception cref="ArgumentException">The port, interface or packet size is invalid.</exception>
    IUdpPort ListenMulticast(int port, DatagramProtocol protocol, string? @interface = null,
        int maxPacketSize = IDatagramPort.DefaultMaxPacketSize, bool listenMultiple = false);
}
