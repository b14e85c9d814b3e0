using Reactor.Defer;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>CancellationToken overloads for endpoints.</summary>
public static class EndpointCancellationExtensions
{
    /// <summary>
    /// Connects as <see cref="IStreamClientEndpoint.Connect"/> does; cancelling
    /// <paramref name="cancellationToken"/> before the connection is made cancels the attempt (the
    /// Deferred fails with <see cref="CancelledError"/>, as when it is cancelled directly).
    /// </summary>
    public static Deferred<IProtocol> Connect(this IStreamClientEndpoint endpoint, IProtocolFactory factory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Connect(factory).WithCancellation(cancellationToken);
    }
}
