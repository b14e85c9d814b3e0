using System.Net;
using System.Security.Cryptography.X509Certificates;
using Reactor.Net.Tls;
using Reactor.Web.Client;
using Reactor.Web.Http;
using Reactor.Web.Server;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Client;

/// <summary>
/// The Agent over https through the engine's TLS layer, against our server listening with a
/// self-signed certificate made in the test: verification is on by default, so the certificate is
/// refused until the test trusts it, and a trusted certificate for another name is still refused.
/// </summary>
public sealed class AgentTlsTests
{
    private LoopbackServer _server = null!;

    [SetUp]
    public void SetUp() => _server = new LoopbackServer(_ => new DelegateResource(r =>
    {
        r.SetHeader("X-Client-Port", ((IPEndPoint)r.GetClientAddress()).Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        r.Write("secret over " + (r.IsSecure ? "https" : "http"));
    }));

    [TearDown]
    public void TearDown() => _server.Dispose();

    /// <summary>Listens with TLS on the test server's reactor; returns the https URL for 127.0.0.1.</summary>
    private string ListenTls(X509Certificate2 certificate) => OnReactor.Run(_server.Reactor, () =>
    {
        var port = _server.Reactor.ListenSsl(0, _server.Site, new TlsServerOptions(certificate), @interface: "127.0.0.1");
        return $"https://127.0.0.1:{((IPEndPoint)port.GetHost()).Port}/";
    });

    private Agent NewAgent(X509Certificate2? trusted = null) => new(_server.Reactor, _server.Reactor, new AgentOptions
    {
        Tls = trusted is null ? null : new TlsClientOptions { TrustedCertificateAuthorities = [trusted] },
        ResponseTimeout = TimeSpan.FromSeconds(10),
    });

    private static TlsError TlsFailure(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is TlsError tls) return tls;
        }
        Assert.Fail($"expected a TLS error, got {error}");
        return null!;
    }

    [Test]
    public void AnUntrustedSelfSignedCertificateIsRefused()
    {
        var url = ListenTls(SelfSignedCertificate.For("localhost", IPAddress.Loopback));
        var agent = NewAgent();
        var error = OnReactor.Failure(_server.Reactor, () => agent.Request("GET", url));
        Assert.That(error, Is.InstanceOf<ResponseFailed>());
        Assert.That(TlsFailure(error).PolicyErrors, Is.EqualTo(System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Test]
    public void TheSameCertificateIsAcceptedOnceTrustedAndTheConnectionIsKeptAlive()
    {
        var certificate = SelfSignedCertificate.For("localhost", IPAddress.Loopback);
        var url = ListenTls(certificate);
        var agent = NewAgent(trusted: certificate);
        (Response Response, string Body) Get() => OnReactor.Wait(_server.Reactor, () => agent.Request("GET", url)
            .AddCallback(r => r.ReadTextAsync().AddCallback(body => (r, body))));

        var (first, body) = Get();
        Assert.That(first.Code, Is.EqualTo(200));
        Assert.That(body, Is.EqualTo("secret over https"));
        var (second, _) = Get();
        Assert.That(second.Headers.Get("X-Client-Port"), Is.EqualTo(first.Headers.Get("X-Client-Port")), "one TLS connection for both requests");
        OnReactor.Run(_server.Reactor, () =>
        {
            agent.CloseIdleConnections();
            return 0;
        });
    }

    [Test]
    public void ATrustedCertificateForAnotherNameIsRefused()
    {
        var certificate = SelfSignedCertificate.For("other.example");
        var url = ListenTls(certificate);
        var agent = NewAgent(trusted: certificate);
        var error = OnReactor.Failure(_server.Reactor, () => agent.Request("GET", url));
        Assert.That(TlsFailure(error).PolicyErrors, Is.EqualTo(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch));
    }
}
