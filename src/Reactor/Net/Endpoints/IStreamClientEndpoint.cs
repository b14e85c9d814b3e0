using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>Something a stream client can connect to (Twisted's <c>IStreamClientEndpoint</c>).</summary>
public interface IStreamClientEndpoint
{
    /// <summary>
    /// Connects, building the connection's protocol with <paramref name="factory"/>.
    /// </summary>
    /// <returns>
    /// A Deferred that fires with the protocol once its <c>ConnectionMade</c> has run, or fails with
    /// a <see cref="ConnectError"/> (refused, timed out, unresolvable, ...). Cancelling it abandons
    /// the attempt and fails it with <see cref="CancelledError"/>. Never throws.
    /// </returns>
    Deferred<IProtocol> Connect(IProtocolFactory factory);
}
