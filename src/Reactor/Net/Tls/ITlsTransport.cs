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
}
