using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Net.Resolution;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Tests.Net;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>ssl: and tls: description strings (Twisted's ServerStringTests.test_ssl*, SSLClientStringTests, TLS client string tests).</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class TlsEndpointStringTests : IDisposable
{
    private readonly MemoryReactorClock _reactor = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("reactor-tls-ep-").FullName;
    private readonly string _cert;
    private readonly string _key;
    private readonly string _roots;

    public TlsEndpointStringTests()
    {
        (_cert, _key) = TestCertificates.WritePem(TestCertificates.Server, _dir);
        _roots = Directory.CreateDirectory(Path.Combine(_dir, "roots")).FullName;
        File.WriteAllText(Path.Combine(_roots, "ca.pem"), TestCertificates.Authority.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_roots, "ignored.txt"), "not a pem file");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Q(string path) => EndpointDescription.Quote(path);

    [Test]
    public void SslServerLoadsTheKeyAndCertificate()
    {
        // Twisted: ServerStringTests.test_ssl ("ssl:1234:backlog=12:privateKey=...:certKey=...:interface=10.0.0.1").
        var e = (Ssl4ServerEndpoint)EndpointStrings.ServerFromString(_reactor, $"ssl:8443:privateKey={Q(_key)}:certKey={Q(_cert)}:backlog=12:interface=127.0.0.1");
        Assert.Multiple(() =>
        {
            Assert.That((e.Port, e.Backlog, e.Interface), Is.EqualTo((8443, 12, IPAddress.Loopback)));
            Assert.That(e.Options.Certificate.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
            Assert.That(e.Options.Certificate.HasPrivateKey, Is.True);
        });
        e.Listen(new CountingFactory(() => null));
        Assert.That(_reactor.SslServers.Single() is (8443, _, var o, 12, "127.0.0.1") && o == e.Options, Is.True);
    }

    [Test]
    public void SslServerCertKeyDefaultsToThePrivateKeyFile()
    {
        // Twisted: ServerStringTests.test_sslWithDefaults: one PEM holding key and certificate.
        var both = Path.Combine(_dir, "both.pem");
        File.WriteAllText(both, File.ReadAllText(_cert) + "\n" + File.ReadAllText(_key));
        var e = (Ssl4ServerEndpoint)EndpointStrings.ServerFromString(_reactor, $"ssl:443:privateKey={Q(both)}");
        Assert.That((e.Port, e.Interface, e.Backlog), Is.EqualTo((443, IPAddress.Any, IReactorTcpDefaults.Backlog)));
        Assert.That(e.Options.Certificate.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
    }

    [Test]
    public void SslServerExtraCertChainBecomesTheIntermediates()
    {
        // Twisted: ServerStringTests.test_sslChainLoads.
        var chain = Path.Combine(_dir, "chain.pem");
        File.WriteAllText(chain, TestCertificates.Authority.ExportCertificatePem());
        var e = (Ssl4ServerEndpoint)EndpointStrings.ServerFromString(_reactor, $"ssl:443:privateKey={Q(_key)}:certKey={Q(_cert)}:extraCertChain={Q(chain)}");
        Assert.That(e.Options.Intermediates!.Single().Thumbprint, Is.EqualTo(TestCertificates.Authority.Thumbprint));
    }

    [Test]
    public void SslServerChainFileMustHoldACertificate()
    {
        // Twisted: ServerStringTests.test_sslChainFileMustContainCert.
        var empty = Path.Combine(_dir, "empty.pem");
        File.WriteAllText(empty, "");
        var e = Assert.Throws<EndpointParseError>(() =>
            EndpointStrings.ServerFromString(_reactor, $"ssl:443:privateKey={Q(_key)}:certKey={Q(_cert)}:extraCertChain={Q(empty)}"))!;
        Assert.That(e.Segment, Is.EqualTo($"extraCertChain={Q(empty)}"));
        Assert.That(e.Message, Does.Contain("holds no PEM certificate"));
    }

    [Test]
    public void SslServerWithAMissingKeyFileNamesTheSegment()
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ServerFromString(_reactor, "ssl:443:privateKey=/no/such/key.pem"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Segment, Is.EqualTo("privateKey=/no/such/key.pem"));
            Assert.That(e.Message, Does.Contain("cannot load the server certificate and key"));
            Assert.That(e.InnerException, Is.TypeOf<FileNotFoundException>());
            Assert.That(string.Join(", ", e.AcceptedKeys), Is.EqualTo("port, privateKey, certKey, extraCertChain, interface, backlog"));
        });
    }

    [Test]
    public void SslServerUnknownKeyListsTheAcceptedOnes()
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ServerFromString(_reactor, $"ssl:443:privateKey={Q(_key)}:sslmethod=TLSv1_2_METHOD"))!;
        Assert.That(e.Segment, Is.EqualTo("sslmethod=TLSv1_2_METHOD"));
        Assert.That(e.Message, Does.Contain("Accepted keys: port, privateKey, certKey, extraCertChain, interface, backlog"));
    }

    [Test]
    public void SslClientWithEveryKey()
    {
        // Twisted: SSLClientStringTests.test_ssl (certKey, privateKey, caCertsDir) and hostname.
        var e = (Ssl4ClientEndpoint)EndpointStrings.ClientFromString(_reactor,
            $"ssl:host=127.0.0.1:port=4321:hostname=localhost:caCertsDir={Q(_roots)}:certKey={Q(_cert)}:privateKey={Q(_key)}:timeout=3:bindAddress=127.0.0.1");
        Assert.Multiple(() =>
        {
            Assert.That((e.Host, e.Port, e.Timeout), Is.EqualTo(("127.0.0.1", 4321, TimeSpan.FromSeconds(3))));
            Assert.That(e.BindAddress, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 0)));
            Assert.That(e.Options.ServerName, Is.EqualTo("localhost"));
            Assert.That(e.Options.TrustedCertificateAuthorities!.Single().Thumbprint, Is.EqualTo(TestCertificates.Authority.Thumbprint),
                "only the *.pem files of caCertsDir are read");
            Assert.That(e.Options.ClientCertificate!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
        });
        e.Connect(new CountingFactory(() => new RecordingProtocol()));
        Assert.That(_reactor.SslClients.Single() is ("127.0.0.1", 4321, _, var o, _, _) && o == e.Options, Is.True);
    }

    [Test]
    public void SslClientPositionalDefaults()
    {
        // Twisted: SSLClientStringTests.test_sslPositionalArgs / test_sslSimple.
        var e = (Ssl4ClientEndpoint)EndpointStrings.ClientFromString(_reactor, "ssl:example.net:443");
        Assert.That((e.Host, e.Port, e.Timeout, e.BindAddress), Is.EqualTo(("example.net", 443, TimeSpan.FromSeconds(30), (IPEndPoint?)null)));
        Assert.That(e.Options.ServerName, Is.Null);
    }

    [TestCase("ssl:h:443:privateKey=k.pem", "privateKey=k.pem", "privateKey needs certKey")]
    [TestCase("ssl:h:443:caCertsDir=/no/such/dir", "caCertsDir=/no/such/dir", "cannot load the trusted certificates")]
    [TestCase("ssl:h", null, "needs \"port\"")]
    public void SslClientErrors(string description, string? segment, string problem)
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ClientFromString(_reactor, description))!;
        Assert.That(e.Segment, Is.EqualTo(segment));
        Assert.That(e.Message, Does.Contain(problem).And.Contain("Accepted keys: host, port, timeout, bindAddress, hostname, caCertsDir, certKey, privateKey"));
    }

    [Test]
    public void TlsClientWrapsAHostnameEndpoint()
    {
        // Twisted: test_endpoints.WrapClientTLSParserTests.test_hostnameEndpointConstruction.
        var e = (TlsClientEndpoint)EndpointStrings.ClientFromString(_reactor,
            $"tls:host=example.com:port=443:timeout=4:bindAddress=10.0.0.1:trustRoots={Q(_roots)}:certificate={Q(_cert)}:privateKey={Q(_key)}");
        var inner = (HostnameEndpoint)e.Wrapped;
        Assert.Multiple(() =>
        {
            Assert.That(e.Host, Is.EqualTo("example.com"));
            Assert.That((inner.Host, inner.Port, inner.Timeout), Is.EqualTo(("example.com", 443, TimeSpan.FromSeconds(4))));
            Assert.That(inner.BindAddress, Is.EqualTo(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 0)));
            Assert.That(e.Options.TrustedCertificateAuthorities!.Single().Thumbprint, Is.EqualTo(TestCertificates.Authority.Thumbprint));
            Assert.That(e.Options.ClientCertificate!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
        });
    }

    [Test]
    public void TlsClientPositionalHostAndPort()
    {
        var e = (TlsClientEndpoint)EndpointStrings.ClientFromString(_reactor, "tls:example.com:443");
        Assert.That(((HostnameEndpoint)e.Wrapped).Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void TlsClientOverAnEscapedNestedEndpoint()
    {
        // Twisted: WrapClientTLSParserTests.test_tls with endpoint= (host then only names the certificate).
        var e = (TlsClientEndpoint)EndpointStrings.ClientFromString(_reactor, "tls:example.com:443:endpoint=tcp\\:10.0.0.5\\:8443");
        var inner = (Tcp4ClientEndpoint)e.Wrapped;
        Assert.That((e.Host, inner.Host, inner.Port), Is.EqualTo(("example.com", "10.0.0.5", 8443)));
    }

    [Test]
    public void TlsClientWithABadNestedEndpointNamesBoth()
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ClientFromString(_reactor, "tls:example.com:443:endpoint=tcp\\:h\\:notaport"))!;
        Assert.That(e.Segment, Is.EqualTo("endpoint=tcp\\:h\\:notaport"));
        Assert.That(e.Message, Does.Contain("the wrapped description is bad").And.Contain("notaport"));
        Assert.That(e.InnerException, Is.TypeOf<EndpointParseError>());
    }

    [Test]
    public void TlsClientUnknownKeyListsTheAcceptedOnes()
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ClientFromString(_reactor, "tls:example.com:443:caCertsDir=/x"))!;
        Assert.That(string.Join(", ", e.AcceptedKeys), Is.EqualTo("host, port, timeout, bindAddress, certificate, privateKey, trustRoots, endpoint"));
    }
}

/// <summary>TLS endpoints from strings over a real reactor and loopback.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class TlsEndpointLoopbackTests(SelectorKind kind) : IDisposable
{
    private readonly ReactorLoop _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });
    private readonly string _dir = Directory.CreateTempSubdirectory("reactor-tls-loop-").FullName;
    private IListeningPort? _port;

    public void Dispose()
    {
        _port?.StopListening();
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [TestCase("tls")]
    [TestCase("ssl")]
    public void EchoOverTlsFromStrings(string clientKind)
    {
        var (cert, key) = TestCertificates.WritePem(TestCertificates.Server, _dir);
        var roots = Directory.CreateDirectory(Path.Combine(_dir, "roots")).FullName;
        File.WriteAllText(Path.Combine(roots, "ca.pem"), TestCertificates.Authority.ExportCertificatePem());
        var q = EndpointDescription.Quote;

        _port = Reactor.Testing.DeferredAssert.SuccessResultOf(EndpointStrings
            .ServerFromString(_reactor, $"ssl:0:privateKey={q(key)}:certKey={q(cert)}:interface=127.0.0.1")
            .Listen(Factory.ForProtocol(() => new Echo())));
        var port = ((IPEndPoint)_port.GetHost()).Port;
        var client = clientKind == "tls"
            ? $"tls:localhost:{port}:trustRoots={q(roots)}"
            : $"ssl:127.0.0.1:{port}:hostname=localhost:caCertsDir={q(roots)}";

        var hello = new Hello();
        Failure? failure = null;
        IProtocol? connected = null;
        EndpointStrings.ClientFromString(_reactor, client).ConnectProtocol(hello)
            .AddCallbacks<object?>(p => connected = p, f =>
            {
                failure = f;
                return null;
            });
        _reactor.RunUntil(() => failure is not null || hello.Lost is not null || hello.Received.Length >= 5, "the TLS echo");
        Assert.That(failure, Is.Null, () => failure!.GetTraceback());
        Assert.That(hello.Lost, Is.Null, () => hello.Lost!.GetTraceback());
        Assert.That(hello.Received.ToString(), Is.EqualTo("hello"));
        Assert.That(connected, Is.SameAs(hello), "the Deferred gives the application protocol, not the TLS layer");
        hello.Transport.LoseConnection();
        _reactor.RunUntil(() => hello.Lost is not null, "the close");
    }

    private sealed class Echo : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    private sealed class Hello : Protocol
    {
        public StringBuilder Received { get; } = new();

        public Failure? Lost { get; private set; }

        public override void ConnectionMade() => Transport.Write("hello"u8);

        public override void DataReceived(ReadOnlySpan<byte> data) => Received.Append(Encoding.ASCII.GetString(data));

        public override void ConnectionLost(Failure reason)
        {
            base.ConnectionLost(reason);
            Lost = reason;
        }
    }
}
