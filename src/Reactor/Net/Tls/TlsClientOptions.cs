using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Reactor.Net.Tls;

/// <summary>
/// How a TLS client verifies the server and presents itself (Twisted's
/// <c>optionsForClientTLS</c>). Verification of the server's chain and name is on by default;
/// turning it off takes <see cref="UnsafeSkipCertificateVerification"/> or a
/// <see cref="TlsOptions.CertificateValidator"/>.
/// </summary>
public sealed class TlsClientOptions : TlsOptions
{
    /// <summary>Client options that verify the server against the system's roots.</summary>
    public TlsClientOptions() { }

    /// <summary>
    /// The name the server's certificate must carry, also sent as SNI. Null uses the host given
    /// to <c>ConnectSsl</c>; <c>StartTls</c> needs it set.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>The CAs the server's certificate must chain to. Null trusts the system's root store.</summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; set; }

    /// <summary>The certificate (with its private key) to present when the server asks for one.</summary>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public X509Certificate2? ClientCertificate
    {
        get;
        set
        {
            if (value is not null && !value.HasPrivateKey)
            {
                throw new ArgumentException($"The client certificate '{value.Subject}' has no private key.", nameof(ClientCertificate));
            }
            field = value;
        }
    }

    /// <summary>
    /// Accepts any server certificate, whatever its chain and name: the connection is encrypted
    /// but the server is not authenticated. For tests and throw-away setups only.
    /// </summary>
    /// <remarks>Defaults to false.</remarks>
    public bool UnsafeSkipCertificateVerification { get; set; }

    /// <summary>SslStream's settings for one client handshake with <paramref name="serverName"/>.</summary>
    internal SslClientAuthenticationOptions CreateSslOptions(string serverName, RemoteCertificateValidationCallback validation) => new()
    {
        TargetHost = serverName,
        EnabledSslProtocols = EnabledProtocols,
        ApplicationProtocols = AlpnList(),
        ClientCertificateContext = ClientCertificate is null ? null : SslStreamCertificateContext.Create(ClientCertificate, null, offline: true),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        CertificateChainPolicy = ChainPolicy(TrustedCertificateAuthorities),
        RemoteCertificateValidationCallback = validation,
    };

    /// <summary>The name to verify: <see cref="ServerName"/>, else <paramref name="host"/>.</summary>
    /// <exception cref="ArgumentException">Neither is set.</exception>
    internal string ResolveServerName(string? host)
    {
        var name = ServerName ?? host;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("TlsClientOptions.ServerName must be set: it is the name the server's certificate is checked against.", nameof(ServerName));
        }
        return name;
    }
}
