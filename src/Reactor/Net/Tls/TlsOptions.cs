using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Reactor.Net.Tls;

/// <summary>
/// Decides whether a peer's certificate is acceptable, given what the platform's own check found
/// (<paramref name="errors"/> is <see cref="SslPolicyErrors.None"/> when chain and name are good).
/// Return true to accept. Runs on the reactor thread during the handshake: do not block.
/// </summary>
/// <param name="certificate">The peer's certificate, or null when it sent none.</param>
/// <param name="chain">The chain the platform built for it, or null.</param>
/// <param name="errors">What the platform's verification found wrong.</param>
public delegate bool TlsCertificateValidator(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors);

/// <summary>What TLS settings both sides share: protocol versions and ALPN.</summary>
public abstract class TlsOptions
{
    private SslProtocols _minimumProtocolVersion = SslProtocols.Tls12;
    private TimeSpan? _handshakeTimeout;

    private protected TlsOptions() { }

    /// <summary>
    /// The oldest TLS version accepted: <see cref="SslProtocols.Tls12"/> (TLS 1.2 and 1.3) or
    /// <see cref="SslProtocols.Tls13"/> (TLS 1.3 only).
    /// </summary>
    /// <remarks>Defaults to TLS 1.2. Older versions are insecure and not offered.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">Neither TLS 1.2 nor TLS 1.3.</exception>
    public SslProtocols MinimumProtocolVersion
    {
        get => _minimumProtocolVersion;
        set
        {
            if (value is not (SslProtocols.Tls12 or SslProtocols.Tls13))
            {
                throw new ArgumentOutOfRangeException(nameof(MinimumProtocolVersion), value, "The minimum TLS version must be SslProtocols.Tls12 or SslProtocols.Tls13.");
            }
            _minimumProtocolVersion = value;
        }
    }

    /// <summary>
    /// The application protocols offered (client) or accepted (server) through ALPN, in order of
    /// preference, e.g. <see cref="SslApplicationProtocol.Http2"/>. Empty: no ALPN.
    /// </summary>
    public IList<SslApplicationProtocol> ApplicationProtocols { get; } = new List<SslApplicationProtocol>();

    /// <summary>
    /// Decides on the peer's certificate instead of the default rule (accept exactly when the
    /// platform found no error). Null keeps the default.
    /// </summary>
    public TlsCertificateValidator? CertificateValidator { get; set; }

    /// <summary>
    /// How long the handshake of a connection using these options may take before the connection
    /// is aborted and its protocol's <c>ConnectionLost</c> receives a <see cref="TlsError"/> of kind
    /// <see cref="TlsErrorKind.HandshakeTimedOut"/>. Null (the default) uses the reactor's
    /// <c>ReactorOptions.TlsHandshakeTimeout</c> (10 s unless changed);
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative (other than infinite).</exception>
    public TimeSpan? HandshakeTimeout
    {
        get => _handshakeTimeout;
        set
        {
            if (value is { } timeout && timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), timeout, "The TLS handshake timeout must be positive or Timeout.InfiniteTimeSpan.");
            }
            _handshakeTimeout = value;
        }
    }

    /// <summary>The protocol versions to enable, from <see cref="MinimumProtocolVersion"/>.</summary>
    private protected SslProtocols EnabledProtocols =>
        MinimumProtocolVersion == SslProtocols.Tls13 ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>A chain policy trusting <paramref name="roots"/> when given, never fetching anything over the network.</summary>
    private protected static X509ChainPolicy ChainPolicy(X509Certificate2Collection? roots)
    {
        // Certificate downloads (AIA) would block the reactor thread in the middle of a handshake.
        var policy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
        return policy;
    }

    /// <summary>The ALPN list for SslStream, or null when none is configured.</summary>
    private protected List<SslApplicationProtocol>? AlpnList() =>
        ApplicationProtocols.Count == 0 ? null : new List<SslApplicationProtocol>(ApplicationProtocols);
}
