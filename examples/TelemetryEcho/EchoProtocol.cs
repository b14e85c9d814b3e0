using Reactor.Protocols;

namespace Reactor.Examples.TelemetryEcho;

/// <summary>Sends back every byte it receives; after the client's FIN it sends what is pending, then closes.</summary>
public sealed class EchoProtocol : Protocol, IHalfCloseableProtocol
{
    /// <inheritdoc/>
    public override void ConnectionMade() => Transport.RegisterProducer(Transport, streaming: true);

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <inheritdoc/>
    public void ReadConnectionLost() => Transport.LoseConnection();

    /// <inheritdoc/>
    public void WriteConnectionLost() { }
}
