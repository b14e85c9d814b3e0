using System.Net;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Protocols.Datagram;

/// <summary>
/// A datagram socket as its protocol sees it: UDP, or a UNIX datagram socket (Twisted's
/// <c>IUDPTransport</c> / <c>IUNIXDatagramTransport</c>). Writes go to the kernel at once; nothing
/// is buffered, and datagrams may be lost or reordered as the socket type allows.
/// </summary>
public interface IDatagramTransport
{
    /// <summary>The largest datagram a read delivers; longer ones are dropped and logged.</summary>
    int MaxPacketSize { get; }

    /// <summary>
    /// Sends <paramref name="datagram"/> to <paramref name="to"/> (which must be of the port's address family).
    /// On a connected port, <paramref name="to"/> must be the peer.
    /// </summary>
    /// <returns>True when the kernel took the datagram; false when the socket's send buffer was full and it was dropped.</returns>
    /// <exception cref="MessageLengthError">The datagram is larger than the path allows (EMSGSIZE).</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is of the wrong kind or family, or not the connected peer.</exception>
    /// <exception cref="InvalidOperationException">The port is closed.</exception>
    bool Write(ReadOnlySpan<byte> datagram, EndPoint to);

    /// <summary>Sends <paramref name="datagram"/> to the peer of a connected port.</summary>
    /// <returns>True when the kernel took the datagram; false when the socket's send buffer was full and it was dropped.</returns>
    /// <exception cref="MessageLengthError">The datagram is larger than the path allows (EMSGSIZE).</exception>
    /// <exception cref="InvalidOperationException">The port is not connected, or closed.</exception>
    bool Write(ReadOnlySpan<byte> datagram);

    /// <summary>The address this port is bound to (with port 0 requested, the port the OS chose).</summary>
    EndPoint GetHost();

    /// <summary>The peer of a connected port, or null when not connected.</summary>
    EndPoint? GetPeer();

    /// <summary>
    /// Stops reading and closes the socket on the next reactor iteration; the result fires (with
    /// null) once it is closed and the protocol's <c>DoStop</c> has run. Calling it again returns the same Deferred.
    /// </summary>
    Deferred<object?> StopListening();
}
