using System.Net.Sockets;
using Reactor.Protocols.Datagram;

namespace Reactor.Net.Udp;

/// <summary>
/// A UDP socket made by <see cref="IReactorUdp.ListenUdp"/> or <see cref="IReactorMulticast.ListenMulticast"/>
/// (Twisted's <c>udp.Port</c> and <c>udp.MulticastPort</c>): a datagram port that can connect to one
/// peer, broadcast, and join multicast groups.
/// </summary>
public interface IUdpPort : IDatagramPort, IMulticastTransport
{
    /// <summary>The largest UDP payload over IPv4 (65,535 − 8-byte UDP header − 20-byte IP header).</summary>
    const int MaxIPv4Datagram = 65_507;

    /// <summary>The largest UDP payload over IPv6 without jumbograms (65,535 − 8-byte UDP header).</summary>
    const int MaxIPv6Datagram = 65_527;

    /// <summary>The socket's address family (InterNetwork or InterNetworkV6).</summary>
    AddressFamily AddressFamily { get; }
}
