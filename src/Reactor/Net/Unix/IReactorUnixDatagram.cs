using Reactor.Errors;
using Reactor.Net.Udp;
using Reactor.Protocols.Datagram;
using Reactor.Protocols;

namespace Reactor.Net.Unix;

/// <summary>UNIX datagram sockets (Twisted's <c>IReactorUNIXDatagram</c>).</summary>
public interface IReactorUnixDatagram
{
    /// <summary>
    /// Binds a UNIX datagram socket to <paramref name="path"/> and attaches <paramref name="protocol"/>.
    /// A path starting with '\0' or '@' is in the Linux abstract namespace; any other is a socket
    /// file, created with <paramref name="mode"/> and removed when the port closes.
    /// </summary>
    /// <param name="path">The socket path.</param>
    /// <param name="protocol">The protocol; senders that never bound a name appear as <see cref="UnnamedUnixEndPoint"/>.</param>
    /// <param name="maxPacketSize">The largest datagram delivered (default 8,192); longer ones are dropped and logged.</param>
    /// <param name="mode">The socket file's permissions (default 0666).</param>
    /// <exception cref="CannotListenError">The path could not be bound (it exists, or its directory does not).</exception>
    /// <exception cref="ArgumentException">The path is empty or longer than sun_path allows.</exception>
    IUnixDatagramPort ListenUnixDatagram(string path, DatagramProtocol protocol, int maxPacketSize = IDatagramPort.DefaultMaxPacketSize,
        UnixFileMode mode = IUnixDatagramPort.DefaultMode);

    /// <summary>
    /// Connects a UNIX datagram socket to the one bound at <paramref name="path"/>: datagrams are
    /// written with <c>Transport.Write(data)</c>, and a closed peer is reported to
    /// <see cref="DatagramProtocol.ConnectionRefused"/>. If the connect fails, the protocol's
    /// <see cref="ConnectedDatagramProtocol.ConnectionFailed"/> is called and the port returned is closed.
    /// </summary>
    /// <param name="path">The peer's socket path.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="maxPacketSize">The largest datagram delivered.</param>
    /// <param name="mode">The permissions of the socket file made for <paramref name="bindPath"/>.</param>
    /// <param name="bindPath">A path to bind first, so the peer can tell this socket apart; null leaves it unnamed.</param>
    /// <exception cref="CannotListenError"><paramref name="bindPath"/> could not be bound.</exception>
    /// <exception cref="ArgumentException">A path is empty or too long.</exception>
    IUnixDatagramPort ConnectUnixDatagram(string path, ConnectedDatagramProtocol protocol, int maxPacketSize = IDatagramPort.DefaultMaxPacketSize,
        UnixFileMode mode = IUnixDatagramPort.DefaultMode, string? bindPath = null);
}
