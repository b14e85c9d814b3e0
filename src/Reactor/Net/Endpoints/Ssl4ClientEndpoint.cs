using System.Net;
using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Connecting with TLS over TCP to one host and port (Twisted's <c>SSL4ClientEndpoint</c>; string form
/// <c>ssl:host=H:port=P[:hostname=NAME][:caCertsDir=DIR][:certKey=CERT.pem][:privateKey=KEY.pem][:timeout=S][:bindAddress=IP]</c>).
/// </summary>
public sealed class Ssl4ClientEndpoint : IStreamClientEndpoint
{
    private readonly IReactorSsl _reactor;

    /// <summary>Creates the endpoint; nothing happens until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor that connects.</param>
    /// <param name="host">A host name or IP literal; also the name the certificate must carry unless the options name another.</param>
    /// <param name="port">The destination port, 1 to 65535.</param>
    /// <param name="options">Verification and client-certificate settings.</param>
    /// <param name="timeout">How long the TCP attempt may take; null for 30 s.</param>
    /// <param name="bindAddress">The local address to bind before connecting, if any.</param>
    /// <exception cref="ArgumentException">The host is empty, the port is out of range, or the timeout is not positive.</exception>
    public Ssl4ClientEndpoint(IReactorSsl reactor, string host, int port, TlsClientOptions options, TimeSpan? timeout = null, IPEndPoint? bindAddress = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(options);
        TcpEndpointChecks.Port(port, allowZero: false);
        Timeout = TcpEndpointChecks.Timeout(timeout ?? Tcp4ClientEndpoint.DefaultTimeout);
        _reactor = reactor;
        Host = host;
        Port = port;
        Options = options;
        BindAddress = bindAddress;
    }

    /// <summary>The host to connect to.</summary>
    public string Host { get; }

    /// <summary>The destination port.</summary>
    public int Port { get; }

    /// <summary>Verification and client-certificate settings.</summary>
    public TlsClientOptions Options { get; }

    /// <summary>How long the TCP attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The local address bound before connecting, or null.</summary>
    public IPEndPoint? BindAddress { get; }

    /// <inheritdoc/>
    /// <remarks>The Deferred fires when the TCP connection opens (the protocol's ConnectionMade), before the handshake ends.</remarks>
    public Deferred<IProtocol> Connect(IProtocolFactory factory) =>
        ConnectingFactory.Start(factory, this, static (e, f) => e._reactor.ConnectSsl(e.Host, e.Port, f, e.Options, e.Timeout, e.BindAddress));
}
