using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Endpoints;

/// <summary>Listening on a TCP port of an IPv4 interface (Twisted's <c>TCP4ServerEndpoint</c>; string form <c>tcp:PORT[:interface=IP][:backlog=N]</c>).</summary>
public sealed class Tcp4ServerEndpoint : TcpServerEndpoint
{
    /// <summary>Creates the endpoint; nothing is bound until <see cref="TcpServerEndpoint.Listen"/>.</summary>
    /// <param name="reactor">The reactor that listens.</param>
    /// <param name="port">The port; 0 lets the OS choose.</param>
    /// <param name="backlog">The kernel's accept queue length.</param>
    /// <param name="interface">An IPv4 address to bind; null for every interface (0.0.0.0).</param>
    /// <exception cref="ArgumentException">The port or backlog is out of range, or the interface is not IPv4.</exception>
    public Tcp4ServerEndpoint(IReactorTcp reactor, int port, int backlog = IReactorTcp.DefaultBacklog, IPAddress? @interface = null)
        : base(reactor, port, backlog, @interface, AddressFamily.InterNetwork)
    {
    }
}
