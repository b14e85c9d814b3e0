using System.Net.Sockets;
using Reactor.Net.Udp;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor.Net;

/// <summary>
/// Adopting sockets made elsewhere (Twisted's <c>IReactorSocket</c>): inherited from a parent
/// process, handed over by systemd socket activation, or received over a UNIX socket with
/// SCM_RIGHTS (for instance by the workers of a pre-forked server).
/// </summary>
/// <remarks>
/// <para>
/// The reactor never takes the caller's descriptor: it duplicates it (close-on-exec) and works on
/// the duplicate, so the caller still owns <c>fileDescriptor</c> and may close it as soon as the
/// method returns (as Twisted). Both descriptors share one open socket, so the non-blocking
/// flag the reactor sets is seen through the caller's descriptor too.
/// </para>
/// <para>
/// The socket is checked before anything else happens: its type (stream or datagram), its
/// family, and for a port that it is listening (or for a connection that it is not). A mismatch
/// throws <see cref="ArgumentException"/> and leaves nothing behind.
/// </para>
/// <para>Reactor thread only.</para>
/// </remarks>
public interface IReactorSocket
{
    /// <summary>
    /// Starts accepting on a socket that is already bound and listening; each accepted connection
    /// gets a protocol from <paramref name="factory"/>, exactly as a port made by
    /// <c>ListenTcp</c> / <c>ListenUnix</c>. The factory's <c>DoStart</c> runs now.
    /// </summary>
    /// <param name="fileDescriptor">A bound, listening stream socket; still the caller's afterwards.</param>
    /// <param name="addressFamily"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/> or <see cref="AddressFamily.Unix"/>.</param>
    /// <param name="factory">Builds a protocol for each connection; a null protocol refuses the connection.</param>
    /// <returns>The port; <see cref="IListeningPort.StopListening"/> closes the reactor's duplicate only.</returns>
    /// <exception cref="ArgumentException">The descriptor is not a listening stream socket of <paramref name="addressFamily"/>.</exception>
    /// <exception cref="NotSupportedException">The family is not one of the three above.</exception>
    /// <exception cref="SocketException">The descriptor could not be duplicated (EBADF, EMFILE).</exception>
    IListeningPort AdoptStreamPort(int fileDescriptor, AddressFamily addressFamily, IProtocolFactory factory);

    /// <summary>
    /// Takes over a connected stream socket: a protocol is built by <paramref name="factory"/>
    /// (<c>BuildProtocol</c> with the peer's address) and attached, exactly as for an accepted
    /// connection. A null protocol closes the reactor's duplicate at once. The factory's
    /// <c>DoStart</c> / <c>DoStop</c> do not run (as Twisted).
    /// </summary>
    /// <param name="fileDescriptor">A connected stream socket; still the caller's afterwards.</param>
    /// <param name="addressFamily"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/> or <see cref="AddressFamily.Unix"/>.</param>
    /// <param name="factory">Builds the connection's protocol.</param>
    /// <returns>The protocol now attached, or null if the factory refused the connection.</returns>
    /// <exception cref="ArgumentException">The descriptor is not a connected stream socket of <paramref name="addressFamily"/>.</exception>
    /// <exception cref="NotSupportedException">The family is not one of the three above.</exception>
    /// <exception cref="SocketException">The descriptor could not be duplicated (EBADF, EMFILE).</exception>
    IProtocol? AdoptStreamConnection(int fileDescriptor, AddressFamily addressFamily, IProtocolFactory factory);

    /// <summary>
    /// Attaches <paramref name="protocol"/> to a bound datagram socket (its <c>StartProtocol</c>
    /// runs now), exactly as a port made by <c>ListenUdp</c> / <c>ListenUnixDatagram</c>. A
    /// socket that is already connected stays connected to its peer.
    /// </summary>
    /// <param name="fileDescriptor">A bound datagram socket; still the caller's afterwards.</param>
    /// <param name="addressFamily"><see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/> or <see cref="AddressFamily.Unix"/>.</param>
    /// <param name="protocol">The protocol; one instance per port at a time.</param>
    /// <param name="maxPacketSize">The largest datagram delivered (default 8,192); longer ones are dropped and logged.</param>
    /// <returns>The port (an <see cref="IUdpPort"/> or an <see cref="IUnixDatagramPort"/>).</returns>
    /// <exception cref="ArgumentException">The descriptor is not a datagram socket of <paramref name="addressFamily"/>.</exception>
    /// <exception cref="NotSupportedException">The family is not one of the three above.</exception>
    /// <exception cref="SocketException">The descriptor could not be duplicated (EBADF, EMFILE).</exception>
    IDatagramPort AdoptDatagramPort(int fileDescriptor, AddressFamily addressFamily, DatagramProtocol protocol,
        int maxPacketSize = IDatagramPort.DefaultMaxPacketSize);
}
