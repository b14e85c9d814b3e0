using System.Net.Security;
using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Tls.Internal;
using Reactor.Net.Tls;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Tls;

/// <summary>TLS over real loopback TCP: ListenSsl, ConnectSsl and StartTls on the reactor.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsTcpTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void HandshakeBothWaysAndEcho()
    {
        TlsRecorder? server = null;
        var port = Listen(() => server = new TlsRecorder { Echo = true });
        var client = new TlsRecorder { Greeting = Encoding.ASCII.GetBytes("hello, reactor") };
        var factory = new RecordingClientFactory(() => client);
        _reactor.ConnectSsl("localhost", port, factory, TlsPair.ClientOptions());

        _reactor.RunUntil(() => client.ReceivedText == "hello, reactor", "the echo");
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.LostCount == 1 && server!.LostCount == 1 && factory.LostReason is not null, "both sides closed");

        Assert.Multiple(() =>
        {
            Assert.That(server!.HandshakeDone && client.HandshakeDone, Is.True);
            Assert.That(client.Tls.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
            Assert.That(client.Tls.GetPeer(), Is.InstanceOf<IPEndPoint>());
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>(), "close_notify reached the server");
            Assert.That(factory.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(((TlsLayer)client.Transport).MarshalledContinuations, Is.Zero);
            Assert.That(((TlsLayer)server.Transport).MarshalledContinuations, Is.Zero);
            Assert.That(_logger.Errors, Is.Empty);
        });
    }

    [Test]
    public void NameMismatchIsRefusedAndTheFactoryHearsWhy()
    {
        TlsRecorder? server = null;
        var port = Listen(() => server = new TlsRecorder());
        var client = new TlsRecorder { Greeting = [1, 2, 3] };
        var factory = new RecordingClientFactory(() => client);
        var options = TlsPair.ClientOptions();
        options.ServerName = "wrong.example";
        _reactor.ConnectSsl("127.0.0.1", port, factory, options);

        _reactor.RunUntil(() => factory.LostReason is not null && server?.LostCount == 1, "the refusal");

        var error = factory.LostReason!.Value as TlsError;
        Assert.That(error, Is.Not.Null, $"got {factory.LostReason}");
        Assert.Multiple(() =>
        {
            Assert.That(error!.Kind, Is.EqualTo(TlsErrorKind.CertificateRejected));
            Assert.That(error.PolicyErrors, Is.EqualTo(SslPolicyErrors.RemoteCertificateNameMismatch));
            Assert.That(client.LostReason!.Value, Is.SameAs(error));
            Assert.That(server!.ReceivedCount, Is.Zero);
        });
    }

    [Test]
    public void AlpnOverTcp()
    {
        TlsRecorder? server = null;
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ApplicationProtocols.Add(SslApplicationProtocol.Http2);
        var port = Listen(() => server = new TlsRecorder(), serverOptions);
        var client = new TlsRecorder();
        var options = TlsPair.ClientOptions();
        options.ApplicationProtocols.Add(SslApplicationProtocol.Http2);
        options.ApplicationProtocols.Add(SslApplicationProtocol.Http11);
        _reactor.ConnectSsl("localhost", port, new RecordingClientFactory(() => client), options);

        _reactor.RunUntil(() => client.HandshakeDone && server?.HandshakeDone == true, "the handshake");

        Assert.That(client.Tls.NegotiatedProtocol, Is.EqualTo(SslApplicationProtocol.Http2));
        Assert.That(server!.Tls.NegotiatedProtocol, Is.EqualTo(SslApplicationProtocol.Http2));
    }

    [Test]
    public void ClientCertificateRequiredGivenAndMissing()
    {
        var servers = new List<TlsRecorder>();
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ClientCertificateMode = TlsClientCertificateMode.Required;
        serverOptions.TrustedClientCertificateAuthorities = TestCertificates.Roots;
        var port = Listen(() =>
        {
            var s = new TlsRecorder { Echo = true };
            servers.Add(s);
            return s;
        }, serverOptions);

        var withCertificate = new TlsRecorder { Greeting = [42] };
        var options = TlsPair.ClientOptions();
        options.ClientCertificate = TestCertificates.Client;
        _reactor.ConnectSsl("localhost", port, new RecordingClientFactory(() => withCertificate), options);
        _reactor.RunUntil(() => withCertificate.ReceivedCount == 1, "the echo to the client with a certificate");
        Assert.That(servers[0].Tls.GetPeerCertificate()!.Subject, Is.EqualTo("CN=test client"));

        var without = new TlsRecorder { Greeting = [43] };
        _reactor.ConnectSsl("localhost", port, new RecordingClientFactory(() => without), TlsPair.ClientOptions());
        _reactor.RunUntil(() => without.LostCount == 1 && servers.Count == 2 && servers[1].LostCount == 1, "the refusal");

        var error = (TlsError)servers[1].LostReason!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(error.PolicyErrors, Is.EqualTo(SslPolicyErrors.RemoteCertificateNotAvailable));
            Assert.That(servers[1].ReceivedCount, Is.Zero);
            Assert.That(without.ReceivedCount, Is.Zero);
            Assert.That(without.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
        });
    }

    [Test]
    public void StartTlsUpgradesAPlainTcpConnection()
    {
        StartTlsServer? server = null;
        var listening = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new StartTlsServer(TlsPair.ServerOptions())), @interface: "127.0.0.1");
        var options = TlsPair.ClientOptions();
        options.ServerName = "localhost";
        var client = new StartTlsClient(options, "upgraded secret");
        _reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)listening.GetHost()).Port, new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => client.ReceivedText == "upgraded secret", "the echo through TLS");

        Assert.Multiple(() =>
        {
            Assert.That(server!.ClearText, Is.EqualTo("STARTTLS\n"));
            Assert.That(server.ReceivedText, Is.EqualTo("upgraded secret"));
            Assert.That(server.Transport, Is.InstanceOf<ITcpTransport>(), "the protocol keeps its TCP transport");
            Assert.That(client.Tls2!.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
            Assert.Throws<InvalidOperationException>(() => ((IStartTls)client.Transport).StartTls(options), "TLS cannot be started twice");
        });

        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.LostCount == 1 && server!.LostCount == 1, "the close");
        Assert.That(server!.LostReason!.Value, Is.TypeOf<ConnectionDone>(), "close_notify went through the upgraded TCP transport");
    }

    [Test]
    public void AbortSendsNoCloseNotify()
    {
        TlsRecorder? server = null;
        var port = Listen(() => server = new TlsRecorder());
        var client = new TlsRecorder();
        _reactor.ConnectSsl("localhost", port, new RecordingClientFactory(() => client), TlsPair.ClientOptions());
        _reactor.RunUntil(() => client.HandshakeDone && server?.HandshakeDone == true, "the handshake");

        client.Transport.Write(new byte[100_000]);
        ((IStreamTransport)client.Transport).AbortConnection();
        _reactor.RunUntil(() => client.LostCount == 1 && server!.LostCount == 1, "both sides closed");

        Assert.Multiple(() =>
        {
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionAborted>());
            Assert.That(server!.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
            Assert.That(server.LostReason.Value, Is.Not.TypeOf<ConnectionDone>());
        });
    }

    [Test]
    public void SixtyFourMebibytesToASlowReaderOverTcp()
    {
        const long total = 64L * 1024 * 1024;
        BulkSender? sender = null;
        var port = Listen(() => sender = new BulkSender(total));
        var reader = new SlowReader(_reactor) { ResumeAfter = TimeSpan.Zero };
        _reactor.ConnectSsl("localhost", port, new RecordingClientFactory(() => reader), TlsPair.ClientOptions());

        long maxPending = 0, maxCiphertext = 0;
        _reactor.RunUntil(() =>
        {
            if (sender?.Transport is TlsLayer layer) maxPending = Math.Max(maxPending, layer.PendingBytes);
            if (reader.Connected) maxCiphertext = Math.Max(maxCiphertext, ((TlsLayer)reader.Transport).BufferedCiphertext);
            return reader.LostCount == 1;
        }, "64 MiB", TimeSpan.FromMinutes(2));
        TestContext.Out.WriteLine($"{kind}: most ciphertext buffered by the reader {maxCiphertext:N0} B, most pending at the sender {maxPending:N0} B");

        Assert.Multiple(() =>
        {
            Assert.That(reader.Count, Is.EqualTo(total));
            Assert.That(reader.FirstMismatch, Is.EqualTo(-1));
            Assert.That(reader.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(sender!.Pauses, Is.GreaterThan(10));
            // The sender's user-space queue stays near the high-water mark; the rest waits in
            // the kernel's socket buffers, which are bounded too.
            Assert.That(maxPending, Is.LessThan(1024 * 1024));
            Assert.That(maxCiphertext, Is.LessThan(1024 * 1024));
        });
    }

    private int Listen(Func<IProtocol> build, TlsServerOptions? options = null)
    {
        var port = _reactor.ListenSsl(0, Factory.ForProtocol(build), options ?? TlsPair.ServerOptions(), @interface: "127.0.0.1");
        return ((IPEndPoint)port.GetHost()).Port;
    }
}
