using Microsoft.Extensions.Logging;
using Reactor.Net.Stream;
using Reactor.Time;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// <see cref="IStartTls"/> for any stream transport that can carry a layer
/// (<see cref="IStreamLayerHost"/>: TCP, UNIX, test transports): a <see cref="TlsLayer"/> goes between
/// the transport and its protocol. The application keeps its protocol object and its transport; the
/// transport's public members route to the layer from then on, and the layer writes through the
/// transport's raw operations.
/// </summary>
internal static class StartTlsSupport
{
    /// <summary>Starts TLS on <paramref name="transport"/> (the handshake begins at once).</summary>
    /// <exception cref="ArgumentException">Client options without a server name, or an unknown options type.</exception>
    /// <exception cref="InvalidOperationException">TLS was already started, or the connection is closed or closing.</exception>
    public static ITlsTransport Start(IStreamLayerHost transport, TlsOptions options, IReactorTime clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        transport.EnsureLayerCanAttach();
        var serverName = options switch
        {
            TlsClientOptions client => client.ResolveServerName(null),
            TlsServerOptions => null,
            _ => throw new ArgumentException($"StartTls takes TlsServerOptions or TlsClientOptions, not {options.GetType().Name}.", nameof(options)),
        };
        var layer = new TlsLayer(transport.Protocol, options, serverName, clock, logger, connectApplication: false);
        transport.AttachLayer(layer);
        layer.MakeConnection(transport);
        return layer;
    }
}
