using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>Somewhere a stream server can listen: a TCP port, a UNIX socket path, ... (Twisted's <c>IStreamServerEndpoint</c>).</summary>
public interface IStreamServerEndpoint
{
    /// <summary>
    /// Starts listening; each accepted connection gets a protocol from <paramref name="factory"/>.
    /// </summary>
    /// <returns>
    /// A Deferred that fires with the listening port, or fails with the reason it could not listen
    /// (<see cref="CannotListenError"/>, or an argument error). Never throws.
    /// </returns>
    Deferred<IListeningPort> Listen(IProtocolFactory factory);
}
