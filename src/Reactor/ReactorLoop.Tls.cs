using System.Net;
using Reactor.Net;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor;

/// <summary>TLS for the reactor: <see cref="ListenSsl"/> and <see cref="ConnectSsl"/> (Twisted's <c>IReactorSSL</c>).</summary>
public sealed partial class ReactorLoop : IReactorSsl
{
    /// <inheritdoc/>
    public IListeningPort ListenSsl(int port, IProtocolFactory factory, TlsServerOptions options, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        return ListenTcp(port, new TlsServerFactory(factory, options, this, Logger), backlog, @interface);
    }

    /// <inheritdoc/>
    public IConnector ConnectSsl(string host, int port, ClientFactory factory, TlsClientOptions options, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        return ConnectTcp(host, port, new TlsClientFactory(factory, options, host, this, Logger), timeout, bindAddress);
    }
}
