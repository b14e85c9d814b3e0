using Reactor.Net.Udp;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorUdp, IReactorMulticast
{
    /// <inheritdoc/>
    public UdpPort ListenUdp(int port, DatagramProtocol protocol, string? @interface = null, int maxPacketSize = DatagramPort.DefaultMaxPacketSize) =>
        UdpPort.Listen(this, port, protocol, @interface, maxPacketSize);

    /// <inheritdoc/>
    public UdpPort ListenMulticast(int port, DatagramProtocol protocol, string? @interface = null,
        int maxPacketSize = DatagramPort.DefaultMaxPacketSize, bool listenMultiple = false) =>
        UdpPort.Listen(this, port, protocol, @interface, maxPacketSize, listenMultiple);
}
