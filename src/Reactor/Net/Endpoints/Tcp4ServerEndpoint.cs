using System.Net;
using System.Net.Sockets;
using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>Listening on a TCP port of an IPv4 interface (Twisted's <c>TCP4ServerEndpoint</c>; string form <c>tcp:PORT[:interface=IP][:backlog=N]</c>).</summary>
public sealed class Tcp4ServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorTcp _reactor;

    /// <summary>Creates the endpoint; nothing is bound until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor that listens.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="backlog">The kernel's accept queue length.</param>
    /// <param name="interface">An IPv4 address to bind; null for every interface (0.0.0.0).</param>
    /// <exception cref="ArgumentException">The port or backlog is out of range, or the interface is not IPv4.</exception>
    public Tcp4ServerEndpoint(IReactorTcp reactor, int port, int backlog = IReactorTcp.DefaultBacklog, IPAddress? @interface = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        TcpEndpointChecks.Port(port, allowZero: true);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        _reactor = reactor;
        Port = port;
        Backlog = backlog;
        Interface = TcpEndpointChecks.Family(@interface ?? IPAddress.Any, AddressFamily.InterNetwork, nameof(@interface));
    }

    /// <summary>The port to listen on (0: the OS chooses).</summary>
    public int Port { get; }

    /// <summary>The accept queue length.</summary>
    public int Backlog { get; }

    /// <summary>The IPv4 interface to bind (<see cref="IPAddress.Any"/> for all).</summary>
    public IPAddress Interface { get; }

    /// <inheritdoc/>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory) =>
        TcpEndpointChecks.Execute(() => _reactor.ListenTcp(Port, factory, Backlog, Interface.ToString()));
}
