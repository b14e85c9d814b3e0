using System.Text;
using Reactor.Core;
using Reactor.Net;
using Reactor.Net.Stream;
using Reactor.Net.Tls;
using Reactor.Net.Tls.Internal;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 1 for TLS: what a TLS connection buffers for a hostile peer stays within the
/// water marks — output to a peer that never reads, and bytes a peer sends after its close_notify.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsBufferBoundTests(SelectorKind kind)
{
    [Test]
    public void ATlsEchoServerStopsReadingFromAPeerThatNeverReads()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        TlsRecorder? server = null;
        var port = NetTesting.PortOf(reactor.ListenSsl(0, Factory.ForProtocol(() => server = new TlsRecorder { Echo = true }),
            TlsPair.ServerOptions(), @interface: "127.0.0.1"));
        var client = new TlsRecorder();
        reactor.ConnectSsl("127.0.0.1", port, new RecordingClientFactory(() => client), new TlsClientOptions
        {
            TrustedCertificateAuthorities = TestCertificates.Roots,
            ServerName = "localhost",
            HandshakeTimeout = NetTesting.Deadline,
        });
        reactor.RunUntil(() => client.HandshakeDone && server is { HandshakeDone: true }, "the handshake");
        var serverLayer = (TlsLayer)server!.Transport;
        var clientLayer = (TlsLayer)client.Transport;
        var serverSocket = (StreamTransport)serverLayer.Underlying;
        var clientSocket = (StreamTransport)clientLayer.Underlying;

        // The client sends and never reads (a bulk sender raises its own mark: see BoundedOutputTests).
        clientSocket.HighWaterMark = long.MaxValue;
        client.Transport.PauseProducing();
        var chunk = new byte[16 * 1024];
        long maxServerPending = 0, maxHeld = 0, maxCiphertextIn = 0;
        reactor.RunUntil(() =>
        {
            if (clientLayer.PendingBytes < 256 * 1024) client.Transport.Write(chunk);
            maxServerPending = Math.Max(maxServerPending, serverLayer.PendingBytes);
            maxHeld = Math.Max(maxHeld, serverLayer.HeldPlaintext);
            maxCiphertextIn = Math.Max(maxCiphertextIn, serverLayer.BufferedCiphertext);
            return serverSocket.ReadingPausedByOutput && clientLayer.PendingBytes >= 256 * 1024;
        }, "the TLS server to stop reading from a client that never reads");
        var pendingAtPause = serverLayer.PendingBytes;
        for (var i = 0; i < 50; i++)
        {
            reactor.Iterate(TimeSpan.FromMilliseconds(5));
            maxServerPending = Math.Max(maxServerPending, serverLayer.PendingBytes);
        }

        Assert.Multiple(() =>
        {
            Assert.That(serverLayer.PendingBytes, Is.EqualTo(pendingAtPause), "the server read (and echoed) more while over the mark");
            // One read's plaintext, plus its TLS framing, can land on top of the mark.
            Assert.That(maxServerPending, Is.LessThanOrEqualTo(IWriteBuffer.DefaultHighWaterMark + 2 * ReactorOptions.DefaultReadBufferSize));
            Assert.That(maxHeld, Is.Zero, "after the handshake plaintext goes straight through");
            Assert.That(maxCiphertextIn, Is.LessThanOrEqualTo(ReactorOptions.DefaultReadBufferSize));
        });

        // The client reads again: everything comes back.
        client.Transport.ResumeProducing();
        reactor.RunUntil(() => !serverSocket.ReadingPausedByOutput && serverLayer.PendingBytes == 0 && clientLayer.PendingBytes == 0
            && client.ReceivedCount > 0, "the echo to drain");
        Assert.That(client.LostCount, Is.Zero);
    }

    [Test]
    public void BytesAfterThePeersCloseNotifyAreDroppedNotBuffered()
    {
        var server = new HalfCloseTlsRecorder();
        var client = new HalfCloseTlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        client.Transport.Write(Encoding.ASCII.GetBytes("request"));
        ((IStreamTransport)client.Transport).LoseWriteConnection();
        pair.Run(() => server.ReadClosed);

        // The peer goes on sending after its close_notify: 1 MiB, in record-sized pieces.
        var junk = new byte[16 * 1024];
        for (var i = 0; i < 64; i++) pair.ServerLayer.DataReceived(junk);

        Assert.Multiple(() =>
        {
            Assert.That(pair.ServerLayer.BufferedCiphertext, Is.Zero);
            Assert.That(server.ReceivedText, Is.EqualTo("request"));
            Assert.That(server.LostCount, Is.Zero, "the half-closed connection is still open for the server's reply");
        });
        server.Transport.Write(Encoding.ASCII.GetBytes("reply"));
        server.Transport.LoseConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);
        Assert.That(client.ReceivedText, Is.EqualTo("reply"));
    }
}
