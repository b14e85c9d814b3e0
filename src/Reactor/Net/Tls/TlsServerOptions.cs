using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Reactor.Net.Tls;

/// <summary>
/// How a TLS server presents itself and treats client certificates (Twisted's
/// <c>CertificateOptions</c> for a server). Build one per listening port and share it: it is read
/// on every handshake and must not be changed once connections use it.
/// </summary>
public sealed class TlsServerOptions : TlsOptions
{
    private SslStreamCertificateContext? _certificateContext;
    private int? _maxConcurrentHandshakes;

    /// <summary>Serves <paramref name="certificate"/>, whose private key must be present.</summary>
    /// <param name="certificate">The server's certificate, with its private key.</param>
    /// <param name="intermediates">Intermediate CA certificates sent along with it, if any.</param>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public TlsServerOptions(X509Certificate2 certificate, X509Certificate2Collection? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"The server certificate '{certificate.Subject}' has no private key.", nameof(certificate));
        }
        Certificate = certificate;
        Intermediates = intermediates;
    }

    /// <summary>
    /// Loads the certificate from <paramref name="certificatePath"/> and its private key from
    /// <paramref name="keyPath"/> (PEM). Further certificates in the certificate file are sent as
    /// intermediates.
    /// </summary>
    /// <exception cref="ArgumentException">A path is empty, or the files hold no usable certificate or key.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static TlsServerOptions FromPemFiles(string certificatePath, string keyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePath);
        ArgumentException.ThrowIfNullOrEmpty(keyPath);
        foreach (var path in new[] { certificatePath, keyPath })
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"TLS PEM file '{path}' does not exist.", path);
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"Could not load a certificate and key from '{certificatePath}' and '{keyPath}': {e.Message}", nameof(certificatePath), e);
        }
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var intermediates = new X509Certificate2Collection();
        foreach (var extra in all)
        {
            if (extra.Thumbprint != certificate.Thumbprint) intermediates.Add(extra);
        }
        return new TlsServerOptions(certificate, intermediates.Count == 0 ? null : intermediates);
    }

    /// <summary>The certificate the server presents.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate CA certificates sent after <see cref="Certificate"/>, if any.</summary>
    public X509Certificate2Collection? Intermediates { get; }

    /// <summary>Whether clients are asked for a certificate, and whether one is required.</summary>
    /// <remarks>Defaults to <see cref="TlsClientCertificateMode.None"/>.</remarks>
    public TlsClientCertificateMode ClientCertificateMode { get; set; }

    /// <summary>
    /// The CAs client certificates must chain to. Null trusts the system's root store.
    /// </summary>
    public X509Certificate2Collection? TrustedClientCertificateAuthorities { get; set; }

    /// <summary>
    /// At most this many handshakes run at once on one listening port (one
    /// <see cref="TlsServerFactory"/>); a connection accepted while that many are in progress is
    /// closed at once, before any TLS work and before the wrapped factory builds a protocol, so a
    /// flood of handshakes costs an accept and a close each instead of the server's key exchange,
    /// and established connections keep the CPU. Null (the default): no bound. Read when the
    /// factory is created (<c>ListenSsl</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? MaxConcurrentHandshakes
    {
        get => _maxConcurrentHandshakes;
        set
        {
            if (value is < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentHandshakes), value, "MaxConcurrentHandshakes must be at least 1 (or null for no bound).");
            _maxConcurrentHandshakes = value;
        }
    }

    /// <summary>SslStream's settings for one server handshake.</summary>
    internal SslServerAuthenticationOptions CreateSslOptions(RemoteCertificateValidationCallback validation)
    {
        _certificateContext ??= SslStreamCertificateContext.Create(Certificate, Intermediates, offline: true);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificateContext,
            EnabledSslProtocols = EnabledProtocols,
            ApplicationProtocols = AlpnList(),
            ClientCertificateRequired = ClientCertificateMode != TlsClientCertificateMode.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = ClientCertificateMode == TlsClientCertificateMode.None ? null : ChainPolicy(TrustedClientCertificateAuthorities),
            RemoteCertificateValidationCallback = validation,
        };
    }
}
