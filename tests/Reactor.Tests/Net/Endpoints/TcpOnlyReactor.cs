using System.Net;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>
/// A reactor offering TCP and nothing else (MemoryReactor also offers UNIX, TLS and threads): what
/// the endpoint code says when a description or an argument needs more than that.
/// </summary>
internal sealed class TcpOnlyReactor : IReactorTcp
{
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null) =>
        throw new InvalidOperationException("not used");

    public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null) =>
        throw new InvalidOperationException("not used");
}
