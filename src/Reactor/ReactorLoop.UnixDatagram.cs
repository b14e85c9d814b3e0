using Reactor.Net.Udp;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorUnixDatagram
{
    /// <inheritdoc/>
    public UnixDatagramPort ListenUnixDatagram(string path, DatagramProtocol protocol, int maxPacketSize = DatagramPort.DefaultMaxPacketSize,
        UnixFileMode mode = UnixDatagramPort.DefaultMode) =>
        UnixDatagramPort.Listen(this, path, protocol, maxPacketSize, mode);

    /// <inheritdoc/>
    public UnixDatagramPort ConnectUnixDatagram(string path, ConnectedDatagramProtocol protocol, int maxPacketSize = DatagramPort.DefaultMaxPacketSize,
        UnixFileMode mode = UnixDatagramPort.DefaultMode, string? bindPath = null) =>
        UnixDatagramPort.Connect(this, path, protocol, maxPacketSize, mode, bindPath);
}
