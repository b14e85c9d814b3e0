using Reactor.Net.Udp;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorUnixDatagram
{
    /// <inheritdoc/>
    public IUnixDatagramPort ListenUnixDatagram(string path, DatagramProtocol protocol, int maxPacketSize = IDatagramPort.DefaultMaxPacketSize,
        UnixFileMode mode = IUnixDatagramPort.DefaultMode) =>
        UnixDatagramPort.Listen(this, path, protocol, maxPacketSize, mode);

    /// <inheritdoc/>
    public IUnixDatagramPort ConnectUnixDatagram(string path, ConnectedDatagramProtocol protocol, int maxPacketSize = IDatagramPort.DefaultMaxPacketSize,
        UnixFileMode mode = IUnixDatagramPort.DefaultMode, string? bindPath = null) =>
        UnixDatagramPort.Connect(this, path, protocol, maxPacketSize, mode, bindPath);
}
