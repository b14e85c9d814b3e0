using System.Net;
using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Listening for TLS over TCP (Twisted's <c>SSL4ServerEndpoint</c>; string form
/// <c>ssl:PORT:privateKey=KEY.pem[:certKey=CERT.pem][:extraCertChain=CHAIN.pem][:interface=IP][:backlog=N]</c>).
/// </summary>
public sealed class Ssl4ServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorSsl _reactor;

    /// <summary>Creates the endpoint; nothing is bound until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor that listens.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="options">The server certificate and TLS policies.</param>
    /// <param name="backlog">The kernel's accept queue length.</param>
    /// <param name="interface">The address to bind (IPv4 or IPv6); null for every IPv4 interface.</param>
    /// <exception cref="ArgumentException">The port or backlog is out of range.</exception>
    public Ssl4ServerEndpoint(IReactorSsl reactor, int port, TlsServerOptions options, int backlog = IReactorTcp.DefaultBacklog, IPAddress? @interface = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(options);
        TcpEndpointChecks.Port(port, allowZero: true);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        _reactor = reactor;
        Port = port;
        Options = options;
        Backlog = backlog;
        Interface = @interface ?? IPAddress.Any;
    }

    /// <summary>The port to listen on (0: the OS chooses).</summary>
    public int Port { get; }

    /// <summary>The server certificate and TLS policies.</summary>
    public TlsServerOptions Options { get; }

    /// <summary>The accept queue length.</summary>
    public int Backlog { get; }

    /// <summary>The interface to bind.</summary>
    public IPAddress Interface { get; }

    /// <inheritdoc/>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory) =>
        TcpEndpointChecks.Execute(() => _reactor.ListenSsl(Port, factory, Options, Backlog, Interface.ToString()));
}
