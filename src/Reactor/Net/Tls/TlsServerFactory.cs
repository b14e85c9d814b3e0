using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Net.Internal;
using Reactor.Net.Tls.Internal;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Tls;

/// <summary>
/// Adds TLS, as the server, to every connection of a factory (Twisted's
/// <c>TLSMemoryBIOFactory</c> with <c>isClient=False</c>). <c>ListenSsl</c> uses it over TCP; give
/// it to any stream listener (a UNIX socket, say) to serve TLS there.
/// </summary>
public sealed class TlsServerFactory : IProtocolFactory
{
    private readonly IProtocolFactory _wrapped;
    private readonly TlsServerOptions _options;
    private readonly IReactorTime _reactor;
    private readonly ILogger _logger;
    private readonly HandshakeLimiter? _limiter;

    /// <summary>Wraps <paramref name="wrapped"/>: its protocols see plaintext.</summary>
    /// <param name="wrapped">The factory whose protocols speak over TLS.</param>
    /// <param name="options">The server's certificate and policies.</param>
    /// <param name="reactor">The reactor the connections run on.</param>
    /// <param name="logger">Where exceptions from the protocols are logged; none by default.</param>
    public TlsServerFactory(IProtocolFactory wrapped, TlsServerOptions options, IReactorTime reactor, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reactor);
        _wrapped = wrapped;
        _options = options;
        _reactor = reactor;
        _logger = logger ?? NullLogger.Instance;
        if (options.MaxConcurrentHandshakes is { } maximum) _limiter = new HandshakeLimiter(maximum);
    }

    /// <summary>The factory whose protocols see plaintext.</summary>
    public IProtocolFactory WrappedFactory => _wrapped;

    /// <summary>Handshakes in progress on this factory's connections (counted only when <see cref="TlsServerOptions.MaxConcurrentHandshakes"/> is set).</summary>
    public int HandshakesInProgress => _limiter?.InProgress ?? 0;

    /// <summary>Connections refused because <see cref="TlsServerOptions.MaxConcurrentHandshakes"/> handshakes were already in progress.</summary>
    public long RefusedForHandshakeLimit => _limiter?.Refused ?? 0;

    /// <summary>
    /// Builds the wrapped factory's protocol and puts a TLS layer under it; null refuses the
    /// connection — the wrapped factory's null, or this factory's own when
    /// <see cref="TlsServerOptions.MaxConcurrentHandshakes"/> handshakes are in progress (logged
    /// once per burst of refusals).
    /// </summary>
    public IProtocol? BuildProtocol(EndPoint address)
    {
        if (_limiter is not null && _limiter.ShouldRefuse(out var firstOfBurst))
        {
            if (firstOfBurst)
            {
                NetLog.TlsHandshakesLimited(_logger, _limiter.Maximum, address);
            }
            return null;
        }
        var application = _wrapped.BuildProtocol(address);
        return application is null ? null : new TlsLayer(application, _options, null, _reactor, _logger, connectApplication: true, _limiter);
    }

    /// <inheritdoc/>
    public void DoStart() => _wrapped.DoStart();

    /// <inheritdoc/>
    public void DoStop() => _wrapped.DoStop();
}
