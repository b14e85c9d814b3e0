using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Resolution;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Connects to a host name by trying every address it resolves to, Happy Eyeballs style (RFC 8305;
/// Twisted's <c>HostnameEndpoint</c>, which tries addresses in resolver order without interleaving).
/// </summary>
/// <remarks>
/// <para>
/// AAAA and A lookups start together. Attempts start as soon as the AAAA answer arrives, or
/// <see cref="ResolutionDelay"/> after the A answer if the AAAA answer is still missing (RFC 8305 §3).
/// Addresses are tried alternating families, IPv6 first (§4); a new attempt starts every
/// <see cref="AttemptDelay"/> while earlier ones are still pending, or at once when the latest fails
/// (§5). The first connection made wins: every other attempt is stopped, and one that connects
/// anyway is refused (closed at once) without the protocol factory ever seeing it.
/// </para>
/// <para>If every attempt fails, the Deferred fails with the last attempt's error; if the name resolves to
/// nothing, with <see cref="DnsLookupError"/>. Threading: call <see cref="Connect"/> on the reactor thread.</para>
/// </remarks>
public sealed class HostnameEndpoint : IStreamClientEndpoint
{
    /// <summary>RFC 8305's recommended Connection Attempt Delay: 250 ms.</summary>
    public static readonly TimeSpan DefaultAttemptDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>RFC 8305's recommended Resolution Delay: how long an A answer waits for the AAAA one (50 ms).</summary>
    public static readonly TimeSpan ResolutionDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>Creates the endpoint; nothing happens until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor that makes each connection attempt.</param>
    /// <param name="host">A host name or IP literal.</param>
    /// <param name="port">The destination port, 1 to 65535.</param>
    /// <param name="timeout">How long each attempt may take; null for 30 s.</param>
    /// <param name="bindAddress">The local address to bind; only addresses of its family are tried.</param>
    /// <param name="attemptDelay">The stagger between attempts; null for <see cref="DefaultAttemptDelay"/>.</param>
    /// <param name="clock">Times the stagger; null to use <paramref name="reactor"/>, which must then implement <see cref="IReactorTime"/>.</param>
    /// <param name="resolver">
    /// Resolves <paramref name="host"/>; null for the reactor's <see cref="IReactorPluggableNameResolver.NameResolver"/>
    /// or, failing that, a <see cref="SystemHostnameResolver"/> on the reactor.
    /// </param>
    /// <exception cref="ArgumentException">An argument is out of range, or the reactor cannot supply a clock or resolver.</exception>
    public HostnameEndpoint(IReactorTcp reactor, string host, int port, TimeSpan? timeout = null, IPEndPoint? bindAddress = null,
        TimeSpan? attemptDelay = null, IReactorTime? clock = null, IHostnameResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrEmpty(host);
        TcpEndpointChecks.Port(port, allowZero: false);
        Timeout = TcpEndpointChecks.Timeout(timeout ?? Tcp4ClientEndpoint.DefaultTimeout);
        AttemptDelay = attemptDelay ?? DefaultAttemptDelay;
        ArgumentOutOfRangeException.ThrowIfLessThan(AttemptDelay, TimeSpan.Zero, nameof(attemptDelay));
        Reactor = reactor;
        Host = host;
        Port = port;
        BindAddress = bindAddress;
        Clock = clock ?? reactor as IReactorTime
            ?? throw new ArgumentException($"{reactor.GetType().Name} is not an IReactorTime: pass a clock.", nameof(clock));
        Resolver = resolver ?? (reactor as IReactorPluggableNameResolver)?.NameResolver
            ?? (reactor is IReactorFromThreads fromThreads ? new SystemHostnameResolver(fromThreads)
                : throw new ArgumentException($"{reactor.GetType().Name} offers no name resolver: pass one.", nameof(resolver)));
    }

    /// <summary>The host name or IP literal to connect to.</summary>
    public string Host { get; }

    /// <summary>The destination port.</summary>
    public int Port { get; }

    /// <summary>How long each attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The local address bound before connecting, or null.</summary>
    public IPEndPoint? BindAddress { get; }

    /// <summary>The stagger between connection attempts.</summary>
    public TimeSpan AttemptDelay { get; }

    internal IReactorTcp Reactor { get; }

    internal IReactorTime Clock { get; }

    internal IHostnameResolver Resolver { get; }

    /// <inheritdoc/>
    public Deferred<IProtocol> Connect(IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new HappyEyeballs(this, factory).Start();
    }

    /// <summary>The address families to look up: both, or only the bind address's.</summary>
    internal IReadOnlyList<AddressFamily> Families => BindAddress is null
        ? [AddressFamily.InterNetworkV6, AddressFamily.InterNetwork]
        : [BindAddress.AddressFamily];
}
