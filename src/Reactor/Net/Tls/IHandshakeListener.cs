using Reactor.Errors;

namespace Reactor.Net.Tls;

/// <summary>
/// A protocol that wants to know when its TLS handshake is done (Twisted's
/// <c>IHandshakeListener</c>). <c>ConnectionMade</c> runs when the connection opens, before the
/// handshake; writes made before the handshake are held and sent encrypted once it completes.
/// </summary>
public interface IHandshakeListener
{
    /// <summary>
    /// The handshake succeeded: the peer's certificate, the negotiated protocol (ALPN) and cipher
    /// are known. Called once, on the reactor thread; not called when the handshake fails (the
    /// protocol sees <c>ConnectionLost</c> with a <see cref="TlsError"/> instead).
    /// </summary>
    void HandshakeCompleted();
}
