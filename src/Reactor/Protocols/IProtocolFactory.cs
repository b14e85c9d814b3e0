using System.Net;

namespace Reactor.Protocols;

/// <summary>Builds a protocol for each connection (Twisted's <c>IProtocolFactory</c>).</summary>
public interface IProtocolFactory
{
    /// <summary>
    /// Builds the protocol for a connection with <paramref name="address"/> (the peer for a server,
    /// the destination for a client). Returning null refuses the connection: it is closed at once.
    /// </summary>
    IProtocol? BuildProtocol(EndPoint address);

    /// <summary>Called by each port or connector that starts using the factory.</summary>
    void DoStart();

    /// <summary>Called by each port or connector that stops using the factory.</summary>
    void DoStop();
}
