using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Tls;

/// <summary>TLS on UNIX stream sockets: the same layer as over TCP, wrapping factories and STARTTLS.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsUnixTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });
        _directory = Directory.CreateTempSubdirectory("reactor-tls-unix-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void HandshakeAndEchoOverAUnixSocket()
    {
        var path = Path.Combine(_directory, "tls.sock");
        TlsRecorder? server = null;
        var serverFactory = new TlsServerFactory(Factory.ForProtocol(() => server = new TlsRecorder { Echo = true }), TlsPair.ServerOptions(), _reactor);
        var listening = _reactor.ListenUnix(path, serverFactory);
        var client = new TlsRecorder { Greeting = "over a UNIX socket"u8.ToArray() };
        var clientFactory = new RecordingClientFactory(() => client);
        _reactor.ConnectUnix(path, new TlsClientFactory(clientFactory, TlsPair.ClientOptions(), "localhost", _reactor));

        _reactor.RunUntil(() => client.ReceivedText == "over a UNIX socket", "the echo through TLS");
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.LostCount == 1 && server!.LostCount == 1, "both sides closed");
        listening.StopListening();

        Assert.Multiple(() =>
        {
            Assert.That(client.HandshakeDone && server!.HandshakeDone, Is.True);
            Assert.That(client.Tls.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
            Assert.That(client.Tls.GetPeer(), Is.InstanceOf<System.Net.Sockets.UnixDomainSocketEndPoint>());
            Assert.That(server!.LostReason!.Value, Is.TypeOf<ConnectionDone>(), "close_notify reached the server");
            Assert.That(_logger.Errors, Is.Empty);
        });
    }

    [Test]
    public void StartTlsUpgradesAPlainUnixConnection()
    {
        var path = Path.Combine(_directory, "starttls.sock");
        StartTlsServer? server = null;
        var listening = _reactor.ListenUnix(path, Factory.ForProtocol(() => server = new StartTlsServer(TlsPair.ServerOptions())));
        var options = TlsPair.ClientOptions();
        options.ServerName = "localhost";
        var client = new StartTlsClient(options, "upgraded over UNIX");
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => client.ReceivedText == "upgraded over UNIX", "the echo through TLS");
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.LostCount == 1 && server!.LostCount == 1, "the close");
        listening.StopListening();

        Assert.Multiple(() =>
        {
            Assert.That(server!.ClearText, Is.EqualTo("STARTTLS\n"));
            Assert.That(server.ReceivedText, Is.EqualTo("upgraded over UNIX"));
            Assert.That(server.Transport, Is.Not.InstanceOf<ITcpTransport>(), "the protocol keeps its UNIX transport");
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        });
    }
}
