using Reactor.Net.Udp;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorUdp, IReactorMulticast
{
    /// <inheritdoc/>
    public IUdpPort ListenUdp(int port, DatagramProtocol protocol, string? @interface = null, int maxPacketSize = IDatagramPort.DefaultMaxPacketSize) =>
        UdpPort.Listen(this, port, protocol, @interface, maxPacketSize);

    /// <inheritdoc/>
    public IUdpPort ListenMulticast(int port, DatagramProtocol protocol, string? @interface = null,
        int maxPacketSize = IDatagramPort.DefaultMaxPacketSize, bool listenMultiple = false) =>
        UdpPort.Listen(this, port, protocol, @interface, maxPacketSize, listenMultiple);
}
