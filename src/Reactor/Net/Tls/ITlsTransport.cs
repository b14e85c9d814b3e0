using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Reactor.Protocols;

namespace Reactor.Net.Tls;

/// <summary>
/// A connection encrypted with TLS (Twisted's <c>ISSLTransport</c>): a stream transport that also
/// tells what the handshake settled. Every property is null until the handshake completes
/// (see <see cref="IHandshakeListener"/>).
/// </summary>
public interface ITlsTransport : IStreamTransport
{
    /// <summary>True once the handshake has succeeded.</summary>
    bool IsHandshakeComplete { get; }

    /// <summary>The TLS version in use, or null before the handshake completes.</summary>
    SslProtocols? ProtocolVersion { get; }

    /// <summary>The application protocol chosen through ALPN, or null when none was (Twisted's <c>negotiatedProtocol</c>).</summary>
    SslApplicationProtocol? NegotiatedProtocol { get; }

    /// <summary>The cipher suite in use, or null before the handshake completes.</summary>
    TlsCipherSuite? NegotiatedCipherSuite { get; }

    /// <summary>The certificate the peer presented, or null when it sent none or the handshake is not done.</summary>
    X509Certificate2? GetPeerCertificate();

    /// <summary>
    /// Returns the connection to plaintext (Python's <c>SSLSocket.unwrap()</c>): sends close_notify
    /// after any writes still held, waits for the peer's, and then the same transport and protocol
    /// carry plaintext both ways. Both sides call it; the protocol above decides when (FTP's CCC,
    /// for instance). Bytes the peer sends after its close_notify reach <c>DataReceived</c> as
    /// plaintext, after the Deferred has fired.
    /// </summary>
    /// <remarks>
    /// Call it in the step that precedes the peer's close_notify (usually on reading the command
    /// that asks for it): a close_notify that arrives first is the peer closing, which closes a
    /// protocol that is not an <c>IHalfCloseableProtocol</c> (a half-closeable one hears
    /// <c>ReadConnectionLost</c> and may still call StopTls). Between the call and the Deferred,
    /// writes throw <see cref="InvalidOperationException"/>.
    /// <para>
    /// It works on connections upgraded with <see cref="IStartTls.StartTls"/> and on those that
    /// began as TLS (ListenSsl, ConnectSsl). On the latter the TLS transport the protocol holds
    /// stays its transport and relays plaintext to the socket; what the handshake settled
    /// (<see cref="ProtocolVersion"/>, <see cref="GetPeerCertificate"/>) stays readable.
    /// </para>
    /// </remarks>
    /// <returns>A Deferred firing with the plaintext transport (the one the protocol already holds), or failing if the connection ends first.</returns>
    /// <exception cref="NotSupportedException">A STARTTLS layer over a transport that cannot take its protocol back (not one of this library's stream transports).</exception>
    /// <exception cref="InvalidOperationException">The handshake is not complete, StopTls was already called, the connection is closing, or a producer is registered.</exception>
    Defer.Deferred<IStreamTransport> StopTls();
}
