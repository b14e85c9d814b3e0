using Reactor.Net.Udp;

namespace Reactor.Net.Unix;

/// <summary>
/// A UNIX datagram socket made by <see cref="IReactorUnixDatagram.ListenUnixDatagram"/> or
/// <see cref="IReactorUnixDatagram.ConnectUnixDatagram"/> (Twisted's <c>unix.DatagramPort</c> and
/// <c>ConnectedDatagramPort</c>): bound to a path (or the abstract namespace, or nothing),
/// optionally connected to one peer.
/// </summary>
/// <remarks>
/// Unlike UDP, a UNIX datagram socket is reliable and ordered: a full receiver makes the sender's
/// <c>Write</c> return false (EAGAIN) rather than losing the datagram silently. The socket file a
/// port created is removed when it closes.
/// </remarks>
public interface IUnixDatagramPort : IDatagramPort
{
    /// <summary>The default permissions of the socket file: read and write for everyone (0666), as Twisted.</summary>
    const UnixFileMode DefaultMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
}
