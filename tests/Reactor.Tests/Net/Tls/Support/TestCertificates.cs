using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// A throw-away PKI made in memory with <see cref="CertificateRequest"/>: a CA, a server
/// certificate for "localhost" / 127.0.0.1 / ::1 and a client certificate it signed, plus a
/// second CA nobody trusts. Made once per test run (ECDSA P-256 keys are quick).
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<Pki> Shared = new(() => new Pki());

    /// <summary>The CA that signed <see cref="Server"/> and <see cref="Client"/>.</summary>
    public static X509Certificate2 Authority => Shared.Value.Authority;

    /// <summary>A server certificate for localhost, 127.0.0.1 and ::1, signed by <see cref="Authority"/>.</summary>
    public static X509Certificate2 Server => Shared.Value.Server;

    /// <summary>A client certificate ("CN=test client"), signed by <see cref="Authority"/>.</summary>
    public static X509Certificate2 Client => Shared.Value.Client;

    /// <summary>A client certificate signed by a CA nobody trusts.</summary>
    public static X509Certificate2 UntrustedClient => Shared.Value.UntrustedClient;

    /// <summary>A collection holding only <see cref="Authority"/>, to trust it.</summary>
    public static X509Certificate2Collection Roots => [Authority];

    /// <summary>Writes <paramref name="certificate"/> and its private key as PEM files in <paramref name="directory"/>.</summary>
    public static (string CertificatePath, string KeyPath) WritePem(X509Certificate2 certificate, string directory)
    {
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private sealed class Pki
    {
        public Pki()
        {
            Authority = MakeAuthority("CN=Reactor Test CA");
            var otherAuthority = MakeAuthority("CN=Untrusted Test CA");
            Server = MakeLeaf(Authority, "CN=localhost", server: true);
            Client = MakeLeaf(Authority, "CN=test client", server: false);
            UntrustedClient = MakeLeaf(otherAuthority, "CN=untrusted client", server: false);
        }

        public X509Certificate2 Authority { get; }
        public X509Certificate2 Server { get; }
        public X509Certificate2 Client { get; }
        public X509Certificate2 UntrustedClient { get; }

        private static X509Certificate2 MakeAuthority(string subject)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var now = DateTimeOffset.UtcNow;
            return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        }

        private static X509Certificate2 MakeLeaf(X509Certificate2 issuer, string subject, bool server)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            var usage = server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
            if (server)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddDnsName("localhost");
                names.AddIpAddress(IPAddress.Loopback);
                names.AddIpAddress(IPAddress.IPv6Loopback);
                request.CertificateExtensions.Add(names.Build());
            }
            var now = DateTimeOffset.UtcNow;
            var serial = new byte[12];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7f;
            using var signed = request.Create(issuer, now.AddHours(-1), now.AddDays(7), serial);
            return signed.CopyWithPrivateKey(key);
        }
    }
}
