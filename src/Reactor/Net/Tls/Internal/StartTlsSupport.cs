using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// What a stream transport needs to implement <see cref="IStartTls"/>. The transport:
/// <list type="number">
/// <item>calls <see cref="Create"/> with the protocol it delivers to;</item>
/// <item>delivers received bytes and close events to the returned layer from then on;</item>
/// <item>sends its public <see cref="IStreamTransport"/> calls (writes, closes, producers, pause)
/// to the layer, except while <see cref="TlsLayer.IsCallingDown"/> — those are the layer's own
/// calls, which the transport runs itself;</item>
/// <item>calls <see cref="TlsLayer.MakeConnection"/> with itself, which starts the handshake.</item>
/// </list>
/// The application keeps its protocol object and its transport; only the bytes change.
/// </summary>
internal static class StartTlsSupport
{
    /// <summary>Builds the layer that will sit between the transport and <paramref name="application"/>.</summary>
    /// <exception cref="ArgumentException">Client options without a server name, or an unknown options type.</exception>
    public static TlsLayer Create(IProtocol application, TlsOptions options, IReactorTime reactor, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var serverName = options switch
        {
            TlsClientOptions client => client.ResolveServerName(null),
            TlsServerOptions => null,
            _ => throw new ArgumentException($"StartTls takes TlsServerOptions or TlsClientOptions, not {options.GetType().Name}.", nameof(options)),
        };
        return new TlsLayer(application, options, serverName, reactor, logger, connectApplication: false);
    }
}
