using Reactor.Protocols;

namespace Reactor.Examples.HostedEcho;

/// <summary>Echoes every byte; after the client's FIN it sends what is pending, then closes.</summary>
public sealed class EchoProtocol : Protocol, IHalfCloseableProtocol
{
    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <inheritdoc/>
    public void ReadConnectionLost() => Transport.LoseConnection();

    /// <inheritdoc/>
    public void WriteConnectionLost()
    {
    }
}
