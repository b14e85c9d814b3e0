namespace Reactor.Net.Tls;

/// <summary>Why a TLS connection failed.</summary>
public enum TlsErrorKind
{
    /// <summary>The handshake failed: no common version or cipher, a fatal alert, or the peer left mid-handshake.</summary>
    HandshakeFailed,

    /// <summary>This side rejected the peer's certificate (bad chain, wrong name, or none given when one was required).</summary>
    CertificateRejected,

    /// <summary>After the handshake, the peer sent records that could not be decrypted or were malformed.</summary>
    ProtocolError,

    /// <summary>
    /// The handshake did not complete within its timeout (<see cref="TlsOptions.HandshakeTimeout"/>,
    /// by default <c>ReactorOptions.TlsHandshakeTimeout</c>): the peer stalled, and the connection was aborted.
    /// </summary>
    HandshakeTimedOut,
}
