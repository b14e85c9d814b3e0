using System.Net;
using Reactor.Protocols;

namespace Reactor.Examples.UdpEcho;

/// <summary>
/// Sends every datagram back to its sender, from the port it arrived on. A reply the kernel
/// cannot take right now (send buffer full) is dropped, as UDP may drop any datagram; the count
/// is kept in <see cref="Dropped"/>.
/// </summary>
public sealed class UdpEchoProtocol : DatagramProtocol
{
    /// <summary>Replies dropped because the send buffer was full.</summary>
    public long Dropped { get; private set; }

    /// <inheritdoc/>
    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
    {
        if (!Transport.Write(data, from)) Dropped++;
    }
}
