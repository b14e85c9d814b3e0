using System.Net;
using System.Net.Sockets;
using Reactor.Net.Endpoints.Internal;

namespace Reactor.Net.Endpoints;

public static partial class EndpointStrings
{
    private static readonly string[] TcpServerPositional = ["port"];
    private static readonly string[] TcpServerKeywords = ["interface", "backlog"];
    private static readonly string[] TcpClientPositional = ["host", "port"];
    private static readonly string[] TcpClientKeywords = ["timeout", "bindAddress"];

    private static Tcp4ServerEndpoint ParseTcpServer(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, TcpServerPositional, TcpServerKeywords);
        return new Tcp4ServerEndpoint(
            Require<IReactorTcp>(reactor, description),
            args.Port(),
            args.Integer("backlog", IReactorTcp.DefaultBacklog, 1, int.MaxValue, "a backlog"),
            args.Address("interface", AddressFamily.InterNetwork, whenEmpty: IPAddress.Any, fallback: IPAddress.Any));
    }

    private static Tcp6ServerEndpoint ParseTcp6Server(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, TcpServerPositional, TcpServerKeywords);
        return new Tcp6ServerEndpoint(
            Require<IReactorTcp>(reactor, description),
            args.Port(),
            args.Integer("backlog", IReactorTcp.DefaultBacklog, 1, int.MaxValue, "a backlog"),
            args.Address("interface", AddressFamily.InterNetworkV6, whenEmpty: IPAddress.IPv6Any, fallback: IPAddress.IPv6Any));
    }

    private static Tcp4ClientEndpoint ParseTcpClient(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, TcpClientPositional, TcpClientKeywords);
        var host = args.NonEmpty("host");
        var port = args.Integer("port", null, 1, IPEndPoint.MaxPort, "a port number");
        var timeout = args.Seconds("timeout", Tcp4ClientEndpoint.DefaultTimeout);
        var bind = args.Address("bindAddress", AddressFamily.Unspecified, whenEmpty: null, fallback: null);
        return new Tcp4ClientEndpoint(Require<IReactorTcp>(reactor, description), host, port, timeout,
            bind is null ? null : new IPEndPoint(bind, 0));
    }
}
