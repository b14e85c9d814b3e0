using System.Net.Security;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Tests.Net.Tls.Support;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// Certificate verification: on by default on the client, explicit to turn off; client
/// certificates required, optional, given and missing. Failures reach ConnectionLost as a
/// <see cref="TlsError"/> naming the cause.
/// </summary>
public sealed class TlsVerificationTests
{
    [Test]
    public void NameMismatchIsRefusedByTheClient()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder { Greeting = [1, 2, 3] };
        var pair = TlsPair.Connect(server, client, host: "wrong.example");

        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        var error = client.LostReason!.Value as TlsError;
        Assert.That(error, Is.Not.Null, $"got {client.LostReason}");
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(TlsErrorKind.CertificateRejected));
            Assert.That(error.PolicyErrors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch), Is.True);
            Assert.That(error.Message, Does.Contain("wrong.example"));
            Assert.That(error.InnerException, Is.InstanceOf<System.Security.Authentication.AuthenticationException>());
            Assert.That(error, Is.InstanceOf<ConnectionLost>(), "a TLS error is a kind of connection loss");
            Assert.That(client.HandshakeDone, Is.False);
            Assert.That(server.ReceivedCount, Is.Zero, "nothing written before the handshake may leak");
            // With TLS 1.3 the server's side of the handshake is over before the client checks;
            // .NET on Linux sends no alert, so the server sees the client go without close_notify.
            Assert.That(server.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
        });
    }

    [Test]
    public void UntrustedChainIsRefusedByTheClient()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        // Default options trust the system's roots, which do not include the test CA.
        var pair = TlsPair.Connect(server, client, clientOptions: new TlsClientOptions());

        pair.Run(() => client.LostCount == 1);

        var error = (TlsError)client.LostReason!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(TlsErrorKind.CertificateRejected));
            Assert.That(error.PolicyErrors, Is.EqualTo(SslPolicyErrors.RemoteCertificateChainErrors));
        });
    }

    [Test]
    public void SkippingVerificationIsExplicitAndWorks()
    {
        var server = new TlsRecorder { Echo = true };
        var client = new TlsRecorder { Greeting = [9] };
        var options = new TlsClientOptions { UnsafeSkipCertificateVerification = true };
        var pair = TlsPair.Connect(server, client, clientOptions: options, host: "wrong.example");

        pair.Run(() => client.ReceivedCount == 1);

        Assert.That(client.Tls.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
    }

    [Test]
    public void ValidatorSeesThePlatformsVerdictAndDecides()
    {
        SslPolicyErrors? seen = null;
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var options = new TlsClientOptions
        {
            // Pin the server's certificate instead of trusting a CA.
            CertificateValidator = (certificate, _, errors) =>
            {
                seen = errors;
                return certificate?.Thumbprint == TestCertificates.Server.Thumbprint;
            },
        };
        var pair = TlsPair.Connect(server, client, clientOptions: options);

        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        Assert.That(seen, Is.EqualTo(SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Test]
    public void ValidatorCanRefuse()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var options = TlsPair.ClientOptions();
        options.CertificateValidator = (_, _, _) => false;
        var pair = TlsPair.Connect(server, client, clientOptions: options);

        pair.Run(() => client.LostCount == 1);

        Assert.That(((TlsError)client.LostReason!.Value).Kind, Is.EqualTo(TlsErrorKind.CertificateRejected));
    }

    [Test]
    public void RequiredClientCertificateGiven()
    {
        var server = new TlsRecorder { Echo = true };
        var client = new TlsRecorder { Greeting = [7, 7] };
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ClientCertificateMode = TlsClientCertificateMode.Required;
        serverOptions.TrustedClientCertificateAuthorities = TestCertificates.Roots;
        var clientOptions = TlsPair.ClientOptions();
        clientOptions.ClientCertificate = TestCertificates.Client;
        var pair = TlsPair.Connect(server, client, serverOptions, clientOptions);

        pair.Run(() => client.ReceivedCount == 2);

        Assert.Multiple(() =>
        {
            Assert.That(server.Tls.GetPeerCertificate()!.Subject, Is.EqualTo("CN=test client"));
            Assert.That(server.LostCount + client.LostCount, Is.Zero);
        });
    }

    /// <summary>Twisted: TLSMemoryBIOTests.test_handshakeFailure (the server requires a client certificate the client does not send).</summary>
    [Test]
    public void RequiredClientCertificateMissing()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder { Greeting = [1] };
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ClientCertificateMode = TlsClientCertificateMode.Required;
        serverOptions.TrustedClientCertificateAuthorities = TestCertificates.Roots;
        var pair = TlsPair.Connect(server, client, serverOptions);

        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        var error = server.LostReason!.Value as TlsError;
        Assert.That(error, Is.Not.Null, $"got {server.LostReason}");
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(TlsErrorKind.CertificateRejected));
            Assert.That(error.PolicyErrors, Is.EqualTo(SslPolicyErrors.RemoteCertificateNotAvailable));
            Assert.That(error.Message, Does.Contain("no certificate"));
            Assert.That(server.HandshakeDone, Is.False);
            Assert.That(server.ReceivedCount, Is.Zero);
            // With TLS 1.3 the client finishes its side of the handshake before the server
            // checks; it learns of the refusal as the server leaving without close_notify.
            Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
        });
    }

    [Test]
    public void ClientCertificateFromAnUntrustedCaIsRefused()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ClientCertificateMode = TlsClientCertificateMode.Required;
        serverOptions.TrustedClientCertificateAuthorities = TestCertificates.Roots;
        var clientOptions = TlsPair.ClientOptions();
        clientOptions.ClientCertificate = TestCertificates.UntrustedClient;
        var pair = TlsPair.Connect(server, client, serverOptions, clientOptions);

        pair.Run(() => server.LostCount == 1);

        var error = (TlsError)server.LostReason!.Value;
        Assert.That(error.PolicyErrors, Is.EqualTo(SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Test]
    public void OptionalClientCertificateMayBeAbsent()
    {
        var server = new TlsRecorder { Echo = true };
        var client = new TlsRecorder { Greeting = [5] };
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ClientCertificateMode = TlsClientCertificateMode.Optional;
        serverOptions.TrustedClientCertificateAuthorities = TestCertificates.Roots;
        var pair = TlsPair.Connect(server, client, serverOptions);

        pair.Run(() => client.ReceivedCount == 1);

        Assert.That(server.Tls.GetPeerCertificate(), Is.Null);
    }

    [Test]
    public void ClientCertificateWithoutKeyIsRefused()
    {
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(TestCertificates.Client.RawData);
        var options = new TlsClientOptions();
        var error = Assert.Throws<ArgumentException>(() => options.ClientCertificate = publicOnly);
        Assert.That(error!.ParamName, Is.EqualTo("ClientCertificate"));
    }

    [Test]
    public void ClientWithoutServerNameIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new TlsClientOptions().ResolveServerName(null));
        Assert.That(error!.ParamName, Is.EqualTo("ServerName"));
    }
}
