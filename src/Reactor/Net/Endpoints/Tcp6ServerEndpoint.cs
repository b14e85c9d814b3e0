using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Endpoints;

/// <summary>Listening on a TCP port of an IPv6 interface (Twisted's <c>TCP6ServerEndpoint</c>; string form <c>tcp6:PORT[:interface=IPV6][:backlog=N]</c>).</summary>
public sealed class Tcp6ServerEndpoint : TcpServerEndpoint
{
    /// <summary>Creates the endpoint; nothing is bound until <see cref="TcpServerEndpoint.Listen"/>.</summary>
    /// <param name="reactor">The reactor that listens.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="backlog">The kernel's accept queue length.</param>
    /// <param name="interface">An IPv6 address to bind; null for every interface (<c>::</c>).</param>
    /// <exception cref="ArgumentException">The port or backlog is out of range, or the interface is not IPv6.</exception>
    public Tcp6ServerEndpoint(IReactorTcp reactor, int port, int backlog = IReactorTcp.DefaultBacklog, IPAddress? @interface = null)
        : base(reactor, port, backlog, @interface, AddressFamily.InterNetworkV6)
    {
    }
}
