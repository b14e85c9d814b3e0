using Reactor.Protocols;

namespace Reactor.Examples.TlsEcho;

/// <summary>
/// Sends back every byte it receives, encrypted. When the client ends its side (close_notify, or
/// a bare FIN) it sends what is still pending, then closes with close_notify. A client that does
/// not read its echoes is not read from either: the transport is its own producer, so reading
/// pauses while its output is over the high-water mark.
/// </summary>
public sealed class TlsEchoProtocol : Protocol, IHalfCloseableProtocol
{
    /// <inheritdoc/>
    public override void ConnectionMade() => Transport.RegisterProducer(Transport, streaming: true);

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <summary>The client is done sending: finish echoing, then close.</summary>
    public void ReadConnectionLost() => Transport.LoseConnection();

    /// <inheritdoc/>
    public void WriteConnectionLost() { }
}
