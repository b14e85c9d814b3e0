using System.Net;

namespace Reactor.Protocols.Datagram;

/// <summary>A UDP socket as its protocol sees it (Twisted's <c>IUDPTransport</c>).</summary>
public interface IUdpTransport : IDatagramTransport
{
    /// <summary>
    /// Connects the port to one peer (connected UDP): datagrams from others are no longer
    /// delivered, <see cref="IDatagramTransport.Write(ReadOnlySpan{byte})"/> sends to it, and an
    /// ICMP port-unreachable from it is reported through <see cref="DatagramProtocol.ConnectionRefused"/>.
    /// </summary>
    /// <param name="host">An IP literal of the port's family (names are not resolved, as in Twisted).</param>
    /// <param name="port">The peer's port (1-65535).</param>
    /// <exception cref="ArgumentException">The host is not an IP literal of the port's family, or the port is out of range.</exception>
    /// <exception cref="InvalidOperationException">The port is already connected (reconnecting is not supported), or closed.</exception>
    void Connect(string host, int port);

    /// <summary>Allows or forbids sending to broadcast addresses (SO_BROADCAST; forbidden by default).</summary>
    void SetBroadcastAllowed(bool enabled);

    /// <summary>Whether sending to broadcast addresses is allowed.</summary>
    bool GetBroadcastAllowed();
}
