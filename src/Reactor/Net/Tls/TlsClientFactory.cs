using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Tls.Internal;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Tls;

/// <summary>
/// Adds TLS, as the client, to the connections of a client factory (Twisted's
/// <c>TLSMemoryBIOFactory</c> with <c>isClient=True</c>). <c>ConnectSsl</c> uses it over TCP. The
/// wrapped factory hears about each attempt as usual; when the TLS layer ends a connection (a
/// failed handshake, a rejected certificate) <see cref="ClientFactory.ClientConnectionLost"/>
/// receives that <see cref="TlsError"/>.
/// </summary>
public sealed class TlsClientFactory : ClientFactory
{
    private readonly ClientFactory _wrapped;
    private readonly TlsClientOptions _options;
    private readonly string _serverName;
    private readonly IReactorTime _reactor;
    private readonly ILogger _logger;
    private TlsLayer? _current;

    /// <summary>Wraps <paramref name="wrapped"/> for connections to <paramref name="host"/>.</summary>
    /// <param name="wrapped">The factory whose protocols speak over TLS.</param>
    /// <param name="options">Verification and client-certificate settings.</param>
    /// <param name="host">The host connected to: the name checked unless <see cref="TlsClientOptions.ServerName"/> is set.</param>
    /// <param name="reactor">The reactor the connections run on.</param>
    /// <param name="logger">Where exceptions from the protocols are logged; none by default.</param>
    /// <exception cref="ArgumentException">No server name to verify against.</exception>
    public TlsClientFactory(ClientFactory wrapped, TlsClientOptions options, string? host, IReactorTime reactor, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reactor);
        _wrapped = wrapped;
        _options = options;
        _serverName = options.ResolveServerName(host);
        _reactor = reactor;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The factory whose protocols see plaintext.</summary>
    public ClientFactory WrappedFactory => _wrapped;

    /// <summary>The name the server's certificate is checked against (and sent as SNI).</summary>
    public string ServerName => _serverName;

    /// <summary>Builds the wrapped factory's protocol and puts a TLS layer under it.</summary>
    public override IProtocol? BuildProtocol(EndPoint address)
    {
        var application = _wrapped.BuildProtocol(address);
        if (application is null) return null;
        _current = new TlsLayer(application, _options, _serverName, _reactor, _logger, connectApplication: true);
        return _current;
    }

    /// <inheritdoc/>
    public override void StartFactory() => _wrapped.DoStart();

    /// <inheritdoc/>
    public override void StopFactory() => _wrapped.DoStop();

    /// <inheritdoc/>
    public override void StartedConnecting(IConnector connector) => _wrapped.StartedConnecting(connector);

    /// <inheritdoc/>
    public override void ClientConnectionFailed(IConnector connector, Failure reason) => _wrapped.ClientConnectionFailed(connector, reason);

    /// <summary>Passes the loss on, with the TLS-level reason when the TLS layer had one.</summary>
    public override void ClientConnectionLost(IConnector connector, Failure reason)
    {
        var layer = _current;
        _current = null;
        _wrapped.ClientConnectionLost(connector, layer?.FinalReason ?? reason);
    }
}
