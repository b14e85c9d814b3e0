using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Reactor.Net.Tls;
using Reactor.Tests.Net.Tls.Support;

namespace Reactor.Tests.Net.Tls;

/// <summary>The handshake over the in-memory pair: both directions, versions, session details.</summary>
public sealed class TlsHandshakeTests
{
    [Test]
    public void DataFlowsBothWaysAfterTheHandshake()
    {
        var server = new TlsRecorder { Echo = true };
        var client = new TlsRecorder { Greeting = Encoding.ASCII.GetBytes("hello over tls") };
        var pair = TlsPair.Connect(server, client);

        pair.Run(() => client.ReceivedText == "hello over tls");

        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedText, Is.EqualTo("hello over tls"));
            Assert.That(server.HandshakeDone && client.HandshakeDone, Is.True);
            Assert.That(client.Events, Is.EqualTo(new[] { "made", "handshake" }), "ConnectionMade comes before the handshake, as in Twisted");
            Assert.That(pair.ServerLayer.MarshalledContinuations + pair.ClientLayer.MarshalledContinuations, Is.Zero);
        });
    }

    /// <summary>Twisted: TLSMemoryBIOTests.test_writeBeforeHandshake (protocols/test/test_tls.py).</summary>
    [Test]
    public void WritesBeforeTheHandshakeAreHeldThenSentEncrypted()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder { Greeting = Encoding.ASCII.GetBytes("early") };
        var pair = TlsPair.Connect(server, client);

        Assert.That(pair.ClientLayer.HeldPlaintext, Is.EqualTo(5), "nothing can be encrypted before the handshake");
        pair.Run(() => server.ReceivedCount == 5);

        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedText, Is.EqualTo("early"));
            Assert.That(pair.ClientLayer.HeldPlaintext, Is.Zero);
        });
    }

    /// <summary>Twisted: TLSMemoryBIOTests.test_handshake and test_getPeerCertificate (protocols/test/test_tls.py).</summary>
    [Test]
    public void SessionDetailsAreKnownAfterTheHandshake()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        Assert.That(client.Tls.IsHandshakeComplete, Is.False);
        Assert.That(client.Tls.GetPeerCertificate(), Is.Null);

        pair.Run(() => server.HandshakeDone && client.HandshakeDone);

        Assert.Multiple(() =>
        {
            Assert.That(client.Tls.IsHandshakeComplete, Is.True);
            Assert.That(client.Tls.ProtocolVersion, Is.EqualTo(SslProtocols.Tls13));
            Assert.That(client.Tls.NegotiatedCipherSuite, Is.Not.Null);
            Assert.That(server.Tls.NegotiatedCipherSuite, Is.EqualTo(client.Tls.NegotiatedCipherSuite));
            Assert.That(client.Tls.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
            Assert.That(server.Tls.GetPeerCertificate(), Is.Null, "no client certificate was asked for");
            Assert.That(client.Tls.NegotiatedProtocol, Is.Null, "no ALPN was configured");
        });
    }

    [Test]
    public void PeerCertificateOutlivesTheConnection()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone);
        client.Transport.LoseConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.That(client.Tls.GetPeerCertificate()!.Subject, Is.EqualTo("CN=localhost"));
    }

    [Test]
    public void MinimumVersionTls13IsHonoured()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.MinimumProtocolVersion = SslProtocols.Tls13;
        var clientOptions = TlsPair.ClientOptions();
        clientOptions.MinimumProtocolVersion = SslProtocols.Tls13;
        var pair = TlsPair.Connect(server, client, serverOptions, clientOptions);

        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        Assert.That(server.Tls.ProtocolVersion, Is.EqualTo(SslProtocols.Tls13));
    }

    [Test]
    public void MinimumVersionRejectsOlderProtocols()
    {
        var options = TlsPair.ClientOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MinimumProtocolVersion = SslProtocols.None);
#pragma warning disable SYSLIB0039 // the obsolete versions are exactly what must be refused
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MinimumProtocolVersion = SslProtocols.Tls11);
#pragma warning restore SYSLIB0039
    }

    [Test]
    public void AlpnPicksTheServersChoiceAmongTheClientsOffers()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var serverOptions = TlsPair.ServerOptions();
        serverOptions.ApplicationProtocols.Add(SslApplicationProtocol.Http11);
        var clientOptions = TlsPair.ClientOptions();
        clientOptions.ApplicationProtocols.Add(SslApplicationProtocol.Http2);
        clientOptions.ApplicationProtocols.Add(SslApplicationProtocol.Http11);
        var pair = TlsPair.Connect(server, client, serverOptions, clientOptions);

        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        Assert.Multiple(() =>
        {
            Assert.That(client.Tls.NegotiatedProtocol, Is.EqualTo(SslApplicationProtocol.Http11));
            Assert.That(server.Tls.NegotiatedProtocol, Is.EqualTo(SslApplicationProtocol.Http11));
        });
    }

    [Test]
    public void ServerKeyFromPemFiles()
    {
        var directory = Directory.CreateTempSubdirectory("reactor-tls-");
        try
        {
            var (certificatePath, keyPath) = TestCertificates.WritePem(TestCertificates.Server, directory.FullName);
            var options = TlsServerOptions.FromPemFiles(certificatePath, keyPath);
            var server = new TlsRecorder { Echo = true };
            var client = new TlsRecorder { Greeting = [1, 2, 3] };
            var pair = TlsPair.Connect(server, client, options);

            pair.Run(() => client.ReceivedCount == 3);

            Assert.That(client.Tls.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void BadPemFilesAreReportedClearly()
    {
        var directory = Directory.CreateTempSubdirectory("reactor-tls-");
        try
        {
            var missing = Path.Combine(directory.FullName, "missing.pem");
            Assert.Throws<FileNotFoundException>(() => TlsServerOptions.FromPemFiles(missing, missing));
            var garbage = Path.Combine(directory.FullName, "garbage.pem");
            File.WriteAllText(garbage, "not a certificate");
            var error = Assert.Throws<ArgumentException>(() => TlsServerOptions.FromPemFiles(garbage, garbage));
            Assert.That(error!.Message, Does.Contain("garbage.pem"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void ServerCertificateWithoutKeyIsRefused()
    {
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(TestCertificates.Server.RawData);
        var error = Assert.Throws<ArgumentException>(() => new TlsServerOptions(publicOnly));
        Assert.That(error!.ParamName, Is.EqualTo("certificate"));
    }
}
