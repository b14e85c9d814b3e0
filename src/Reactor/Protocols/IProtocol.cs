using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Protocols;

/// <summary>
/// What the reactor calls as a connection lives (Twisted's <c>IProtocol</c>). Calls never
/// overlap: <see cref="DataReceived"/> and <see cref="ConnectionLost"/> are never re-entered.
/// </summary>
public interface IProtocol
{
    /// <summary>Attaches the transport and calls <c>ConnectionMade</c>.</summary>
    void MakeConnection(ITransport transport);

    /// <summary>
    /// Bytes arrived. The span is only valid during the call (it is the reactor's shared read
    /// buffer): a protocol that keeps bytes copies them.
    /// </summary>
    void DataReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// The connection is gone: <see cref="ConnectionDone"/> for a clean close, another
    /// <see cref="ConnectionError"/> otherwise. Called exactly once.
    /// </summary>
    void ConnectionLost(Failure reason);
}

/// <summary>
/// A protocol that is told about half-closes (Twisted's <c>IHalfCloseableProtocol</c>). Without
/// it, the peer's FIN closes the whole connection.
/// </summary>
public interface IHalfCloseableProtocol
{
    /// <summary>The peer closed its write side (FIN received); writing is still possible.</summary>
    void ReadConnectionLost();

    /// <summary>This side's write side was closed with <c>LoseWriteConnection</c>.</summary>
    void WriteConnectionLost();
}
