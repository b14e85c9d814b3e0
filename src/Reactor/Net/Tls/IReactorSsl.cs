using System.Net;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Tls;

/// <summary>Listening for and making TLS connections over TCP (Twisted's <c>IReactorSSL</c>).</summary>
public interface IReactorSsl
{
    /// <summary>
    /// Listens on <paramref name="port"/> like <c>ListenTcp</c>, with a TLS server layer under each
    /// connection's protocol. The protocol's <c>ConnectionMade</c> runs when the TCP connection
    /// opens; <see cref="IHandshakeListener"/> tells when the handshake is done; a failed
    /// handshake reaches <c>ConnectionLost</c> as a <see cref="TlsError"/>.
    /// </summary>
    /// <param name="port">The port; 0 lets the OS pick a free one.</param>
    /// <param name="factory">Builds the protocol that sees plaintext.</param>
    /// <param name="options">The server's certificate and policies.</param>
    /// <param name="backlog">The length of the kernel's queue of connections not yet accepted.</param>
    /// <param name="interface">The address to bind (an IPv4 or IPv6 literal); null binds every IPv4 interface.</param>
    /// <exception cref="CannotListenError">The address could not be bound.</exception>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    IListeningPort ListenSsl(int port, IProtocolFactory factory, TlsServerOptions options, int backlog = IReactorTcp.DefaultBacklog, string? @interface = null);

    /// <summary>
    /// Connects like <c>ConnectTcp</c>, with a TLS client layer under the protocol. The server's
    /// certificate is checked against <paramref name="host"/> (or
    /// <see cref="TlsClientOptions.ServerName"/>) and the trusted roots. A failed handshake or a
    /// rejected certificate reaches the protocol's <c>ConnectionLost</c> and the factory's
    /// <c>ClientConnectionLost</c> as a <see cref="TlsError"/>.
    /// </summary>
    /// <param name="host">An IP literal or a name; also the name the certificate must carry unless the options name another.</param>
    /// <param name="port">The destination port (1-65535).</param>
    /// <param name="factory">Builds the protocol and hears about the attempt.</param>
    /// <param name="options">Verification and client-certificate settings.</param>
    /// <param name="timeout">How long the TCP connection attempt may take; null for 30 s.</param>
    /// <param name="bindAddress">The local address to bind before connecting, if any.</param>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    IConnector ConnectSsl(string host, int port, ClientFactory factory, TlsClientOptions options, TimeSpan? timeout = null, IPEndPoint? bindAddress = null);
}
