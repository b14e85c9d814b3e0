using System.Net;
using Reactor.Defer;

namespace Reactor.Protocols.Datagram;

/// <summary>
/// A datagram protocol for a socket connected to one peer, such as
/// <c>ConnectUnixDatagram</c>'s (Twisted's <c>ConnectedDatagramProtocol</c>): datagrams arrive
/// without a sender, and a failed connect is reported to <see cref="ConnectionFailed"/>.
/// </summary>
public abstract class ConnectedDatagramProtocol : DatagramProtocol
{
    /// <summary>A datagram arrived from the peer. The span is only valid during the call.</summary>
    public virtual void DatagramReceived(ReadOnlySpan<byte> data) { }

    /// <summary>The socket could not be connected to its peer; the port is already closed.</summary>
    public virtual void ConnectionFailed(Failure reason) { }

    /// <inheritdoc/>
    public sealed override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) => DatagramReceived(data);
}
