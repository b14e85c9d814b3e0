namespace Reactor.Net.Tls;

/// <summary>Whether a TLS server asks its clients for a certificate.</summary>
public enum TlsClientCertificateMode
{
    /// <summary>Clients are not asked for a certificate.</summary>
    None,

    /// <summary>Clients are asked; one that sends none is accepted, one that sends a bad one is refused.</summary>
    Optional,

    /// <summary>Clients must present a certificate the server trusts; the handshake fails otherwise.</summary>
    Required,
}
