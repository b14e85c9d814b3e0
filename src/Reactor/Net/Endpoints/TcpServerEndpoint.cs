using System.Net;
using System.Net.Sockets;
using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Listening on a TCP port of one address family: the shared part of
/// <see cref="Tcp4ServerEndpoint"/> and <see cref="Tcp6ServerEndpoint"/>.
/// </summary>
public abstract class TcpServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorTcp _reactor;

    /// <summary>Checks the arguments and keeps them; nothing is bound until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor that listens.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="backlog">The kernel's accept queue length.</param>
    /// <param name="interface">The address to bind; null for every interface of <paramref name="family"/>.</param>
    /// <param name="family">The address family this endpoint binds.</param>
    /// <exception cref="ArgumentException">The port or backlog is out of range, or the interface is of another family.</exception>
    private protected TcpServerEndpoint(IReactorTcp reactor, int port, int backlog, IPAddress? @interface, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        TcpEndpointChecks.Port(port, allowZero: true);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        _reactor = reactor;
        Port = port;
        Backlog = backlog;
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        Interface = TcpEndpointChecks.Family(@interface ?? any, family, nameof(@interface));
    }

    /// <summary>The port to listen on (0: the OS chooses).</summary>
    public int Port { get; }

    /// <summary>The accept queue length.</summary>
    public int Backlog { get; }

    /// <summary>The interface to bind (the family's "any" address for all).</summary>
    public IPAddress Interface { get; }

    /// <inheritdoc/>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory) =>
        TcpEndpointChecks.Execute(() => _reactor.ListenTcp(Port, factory, Backlog, Interface.ToString()));
}
