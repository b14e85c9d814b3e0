using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Unix;

/// <summary>
/// The address of a UNIX socket that was never bound to a path: a client's own end, or the sender
/// of a datagram from an unbound socket (Twisted's <c>UNIXAddress(None)</c>).
/// <see cref="UnixDomainSocketEndPoint"/> cannot express it (it needs a non-empty path).
/// </summary>
public sealed class UnnamedUnixEndPoint : EndPoint
{
    /// <summary>The one instance.</summary>
    public static readonly UnnamedUnixEndPoint Instance = new();

    private UnnamedUnixEndPoint() { }

    /// <inheritdoc/>
    public override AddressFamily AddressFamily => AddressFamily.Unix;

    /// <inheritdoc/>
    public override string ToString() => "(unnamed UNIX socket)";
}
