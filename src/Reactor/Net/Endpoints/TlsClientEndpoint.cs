using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Tls.Internal;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Adds TLS to the connections of any client endpoint (Twisted's <c>wrapClientTLS</c>); the string
/// form <c>tls:HOST:PORT[:timeout=S][:bindAddress=IP][:certificate=CERT.pem][:privateKey=KEY.pem][:trustRoots=DIR][:endpoint=DESCRIPTION]</c>
/// wraps a <see cref="HostnameEndpoint"/> (Happy Eyeballs) to HOST:PORT, or the escaped client description given by <c>endpoint=</c>.
/// </summary>
public sealed class TlsClientEndpoint : IStreamClientEndpoint
{
    private readonly IReactorTime _reactor;
    private readonly ILogger? _logger;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="wrapped">The endpoint that makes the underlying connection.</param>
    /// <param name="options">Verification and client-certificate settings.</param>
    /// <param name="host">The name the server's certificate must carry (and SNI), unless <see cref="TlsClientOptions.ServerName"/> is set.</param>
    /// <param name="reactor">The reactor's clock, for the TLS layer's timers.</param>
    /// <param name="logger">Where the TLS layer logs.</param>
    /// <exception cref="ArgumentException">No name to verify the server against.</exception>
    public TlsClientEndpoint(IStreamClientEndpoint wrapped, TlsClientOptions options, string? host, IReactorTime reactor, ILogger? logger = null)
    {
        Wrapped = wrapped ?? throw new ArgumentNullException(nameof(wrapped));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));
        if (string.IsNullOrEmpty(host) && string.IsNullOrEmpty(options.ServerName))
        {
            throw new ArgumentException("A TLS client needs the server's name: give a host or set TlsClientOptions.ServerName.", nameof(host));
        }
        Host = host;
        _logger = logger;
    }

    /// <summary>The endpoint that makes the underlying connection.</summary>
    public IStreamClientEndpoint Wrapped { get; }

    /// <summary>Verification and client-certificate settings.</summary>
    public TlsClientOptions Options { get; }

    /// <summary>The name the certificate is checked against (unless the options name another).</summary>
    public string? Host { get; }

    /// <inheritdoc/>
    /// <remarks>The Deferred fires with your protocol when the underlying connection opens, before the handshake ends.</remarks>
    public Deferred<IProtocol> Connect(IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        TlsClientFactory tls;
        try
        {
            tls = new TlsClientFactory(new ProtocolFactoryAsClient(factory), Options, Host, _reactor, _logger);
        }
        catch (ArgumentException e)
        {
            return Deferred.Fail<IProtocol>(e);
        }
        // The wrapped endpoint hands back the TLS layer; the caller wants the protocol above it.
        return Wrapped.Connect(tls).AddCallback(p => p is TlsLayer layer ? layer.Application : p);
    }

    /// <summary>Presents a plain protocol factory as the client factory the TLS layer wraps.</summary>
    private sealed class ProtocolFactoryAsClient(IProtocolFactory inner) : ClientFactory
    {
        public override IProtocol? BuildProtocol(System.Net.EndPoint address) => inner.BuildProtocol(address);

        public override void StartFactory() => inner.DoStart();

        public override void StopFactory() => inner.DoStop();
    }
}
