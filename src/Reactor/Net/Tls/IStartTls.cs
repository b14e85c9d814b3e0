using Reactor.Errors;

namespace Reactor.Net.Tls;

/// <summary>
/// A plain stream transport that can be upgraded to TLS in place (Twisted's
/// <c>ITLSTransport.startTLS</c>): STARTTLS in SMTP, IMAP, XMPP... TCP and UNIX stream transports
/// implement it; cast the protocol's <c>Transport</c> to reach it.
/// </summary>
public interface IStartTls
{
    /// <summary>
    /// Starts a TLS handshake on this connection, as the server when <paramref name="options"/> is
    /// <see cref="TlsServerOptions"/>, as the client when it is <see cref="TlsClientOptions"/>.
    /// Bytes written before this call go out in clear; from now on every write, close and
    /// producer call on this transport goes through TLS, and the same protocol object receives
    /// the decrypted bytes. <see cref="IHandshakeListener.HandshakeCompleted"/> tells when the
    /// handshake is done; a failure reaches <c>ConnectionLost</c> as a <see cref="TlsError"/>.
    /// </summary>
    /// <returns>The TLS view of this connection (certificates, ALPN, cipher).</returns>
    /// <exception cref="ArgumentException">Client options without a <see cref="TlsClientOptions.ServerName"/>.</exception>
    /// <exception cref="InvalidOperationException">TLS was already started, or the connection is closing.</exception>
    ITlsTransport StartTls(TlsOptions options);
}
