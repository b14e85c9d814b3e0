using Reactor.Defer;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>Conveniences over <see cref="IStreamClientEndpoint"/>.</summary>
public static class StreamClientEndpointExtensions
{
    /// <summary>
    /// Connects a protocol instance you already have, without writing a factory (Twisted's <c>connectProtocol</c>).
    /// </summary>
    /// <returns>The endpoint's <see cref="IStreamClientEndpoint.Connect"/> result: fires with <paramref name="protocol"/> once connected.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Deferred<IProtocol> ConnectProtocol(this IStreamClientEndpoint endpoint, IProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(protocol);
        return endpoint.Connect(new OneShotFactory(protocol));
    }

    /// <summary>Hands out the one protocol it was given, once; a second connection is refused.</summary>
    private sealed class OneShotFactory(IProtocol protocol) : Factory
    {
        private IProtocol? _protocol = protocol;

        public override IProtocol? BuildProtocol(System.Net.EndPoint address)
        {
            var p = _protocol;
            _protocol = null;
            if (p is Protocol withFactory) withFactory.Factory ??= this;
            return p;
        }
    }
}
