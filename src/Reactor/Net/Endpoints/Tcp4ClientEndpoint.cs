using System.Net;
using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Connecting over TCP to a host and port (Twisted's <c>TCP4ClientEndpoint</c>; string form
/// <c>tcp:host=H:port=P[:timeout=S][:bindAddress=IP]</c> or <c>tcp:H:P</c>). The host is handed to
/// <see cref="IReactorTcp.ConnectTcp"/> as is; use <see cref="HostnameEndpoint"/> to try every
/// address of a name with Happy Eyeballs.
/// </summary>
public sealed class Tcp4ClientEndpoint : IStreamClientEndpoint
{
    /// <summary>The connect timeout used when none is given (Twisted's 30 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly IReactorTcp _reactor;

    /// <summary>Creates the endpoint; nothing happens until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor that connects.</param>
    /// <param name="host">A host name or IP literal.</param>
    /// <param name="port">The destination port, 1 to 65535.</param>
    /// <param name="timeout">How long an attempt may take; null for <see cref="DefaultTimeout"/>.</param>
    /// <param name="bindAddress">The local address to bind before connecting, if any.</param>
    /// <exception cref="ArgumentException">The host is empty, the port is out of range, or the timeout is not positive.</exception>
    public Tcp4ClientEndpoint(IReactorTcp reactor, string host, int port, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrEmpty(host);
        TcpEndpointChecks.Port(port, allowZero: false);
        Timeout = TcpEndpointChecks.Timeout(timeout ?? DefaultTimeout);
        _reactor = reactor;
        Host = host;
        Port = port;
        BindAddress = bindAddress;
    }

    /// <summary>The host name or IP literal to connect to.</summary>
    public string Host { get; }

    /// <summary>The destination port.</summary>
    public int Port { get; }

    /// <summary>How long an attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The local address bound before connecting, or null.</summary>
    public IPEndPoint? BindAddress { get; }

    /// <inheritdoc/>
    public Deferred<IProtocol> Connect(IProtocolFactory factory) =>
        ConnectingFactory.Start(factory, this, static (e, f) => e._reactor.ConnectTcp(e.Host, e.Port, f, e.Timeout, e.BindAddress));
}
