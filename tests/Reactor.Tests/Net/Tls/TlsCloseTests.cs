using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Tls.Internal;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Time;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// Closing a TLS connection: close_notify after pending data, abort without it, truncation,
/// half-close, and errors in the application.
/// </summary>
public sealed class TlsCloseTests
{
    /// <summary>Twisted: TLSMemoryBIOTests.test_writeAfterLoseConnection (writes after loseConnection are not sent).</summary>
    [Test]
    public void LoseConnectionSendsPendingDataThenCloseNotify()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        client.Transport.Write(Encoding.ASCII.GetBytes("last words"));
        client.Transport.LoseConnection();
        client.Transport.Write(Encoding.ASCII.GetBytes(" dropped"));
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedText, Is.EqualTo("last words"), "writes after LoseConnection are dropped");
            // The server got close_notify before the transport closed: a clean close on both sides.
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(client.Transport.Disconnecting, Is.True);
        });
    }

    /// <summary>Port of Twisted's TLSMemoryBIOTests.test_loseConnectionAfterHandshake (protocols/test/test_tls.py).</summary>
    [Test]
    public void LoseConnectionWaitsForThePeersCloseNotifyAndDeliversWhatCameMeanwhile()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("123456890", 100_000)));

        client.Transport.Write(chunk);
        server.Transport.Write("x"u8);
        server.Transport.LoseConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedCount, Is.EqualTo(chunk.Length), "the server read on until the client's close_notify");
            Assert.That(client.ReceivedText, Is.EqualTo("x"));
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        });
    }

    [Test]
    public void LoseConnectionGivesUpWaitingForASilentPeer()
    {
        // The client is half-closeable and never answers the server's close_notify.
        var server = new TlsRecorder();
        var client = new HalfCloseTlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);
        var started = pair.Clock.Now;

        server.Transport.LoseConnection();
        pair.Run(() => server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(client.ReadClosed, Is.True);
            Assert.That(pair.Clock.Now - started, Is.EqualTo(ReactorOptions.DefaultTlsCloseNotifyTimeout));
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        });
    }

    [Test]
    public void LoseConnectionDuringTheHandshakeWaitsToSendHeldData()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder { Greeting = Encoding.ASCII.GetBytes("early") };
        var pair = TlsPair.Connect(server, client);

        client.Transport.LoseConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedText, Is.EqualTo("early"));
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        });
    }

    [Test]
    public void LoseConnectionBeforeTheHandshakeWithNothingToSendJustCloses()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);

        client.Transport.LoseConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>(), "the client asked to close: no TLS error");
            Assert.That(client.HandshakeDone, Is.False);
            Assert.That(server.LostReason!.Value, Is.TypeOf<TlsError>(), "the server's handshake was cut short");
        });
    }

    [Test]
    public void AbortSendsNoCloseNotifyAndDropsPendingData()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);
        var pending = pair.Pump.ClientTransport.PendingOutput;

        client.Transport.Write(new byte[1000]);
        ((IStreamTransport)client.Transport).AbortConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionAborted>());
            Assert.That(server.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
            Assert.That(server.ReceivedCount, Is.Zero);
            Assert.That(pending, Is.Zero);
        });
    }

    /// <summary>Twisted: TLSMemoryBIOTests.test_disorderlyShutdown (an unexpected close is reported as a loss, not a clean close).</summary>
    [Test]
    public void TransportClosedWithoutCloseNotifyIsNotClean()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        // Close the transport under the client's TLS layer: no close_notify goes out.
        pair.Pump.ClientTransport.LoseConnection();
        pair.Run(() => server.LostCount == 1);

        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionLost>());
        Assert.That(server.LostReason.Value.Message, Does.Contain("close_notify"));
    }

    [Test]
    public void HalfCloseableProtocolCanAnswerAfterThePeersCloseNotify()
    {
        var server = new HalfCloseTlsRecorder
        {
            OnReadClosed = self =>
            {
                self.Transport.Write(Encoding.ASCII.GetBytes("goodbye"));
                self.Transport.LoseConnection();
            },
        };
        var client = new HalfCloseTlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone && server.HandshakeDone);

        client.Transport.Write(Encoding.ASCII.GetBytes("request"));
        ((IStreamTransport)client.Transport).LoseWriteConnection();
        pair.Run(() => client.LostCount == 1 && server.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(server.ReceivedText, Is.EqualTo("request"));
            Assert.That(server.ReadClosed, Is.True);
            Assert.That(pair.Pump.ClientTransport.WriteDisconnecting, Is.True, "close_notify, then FIN");
            Assert.That(client.ReceivedText, Is.EqualTo("goodbye"));
            Assert.That(client.ReadClosed, Is.True, "the server's close_notify reached the client");
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        });
    }

    [Test]
    public void ExceptionInDataReceivedIsLoggedAndClosesWithIt()
    {
        var logger = new CapturingLogger();
        var server = new ThrowingRecorder();
        var client = new TlsRecorder { Greeting = [1] };
        var pair = TlsPair.Connect(server, client, logger: logger);

        pair.Run(() => server.LostCount == 1 && client.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(server.LostReason!.Value, Is.TypeOf<InvalidOperationException>());
            Assert.That(logger.Errors, Has.Count.EqualTo(1));
            Assert.That(logger.Errors[0].Exception, Is.SameAs(server.LostReason.Value));
            Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
        });
    }

    [Test]
    public void ConnectionLostIsCalledExactlyOnce()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => client.HandshakeDone);

        client.Transport.LoseConnection();
        ((IStreamTransport)client.Transport).AbortConnection();
        client.Transport.LoseConnection();
        pair.Run();

        Assert.That((client.LostCount, server.LostCount), Is.EqualTo((1, 1)));
    }

    [Test]
    public void ClientFactoryHearsTheTlsReason()
    {
        var inner = new RecordingClientFactory();
        var options = TlsPair.ClientOptions();
        var clock = new Clock();
        var factory = new TlsClientFactory(inner, options, "wrong.example", clock);
        var clientLayer = (TlsLayer)factory.BuildProtocol(LoopbackPump.DefaultServerAddress)!;
        var serverLayer = new TlsLayer(new TlsRecorder(), TlsPair.ServerOptions(), null, clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, true);
        var pump = LoopbackPump.Connect(serverLayer, clientLayer, greet: false);

        pump.Flush();
        Assert.That(clientLayer.FinalReason, Is.Not.Null);
        factory.ClientConnectionLost(null!, new Failure(new ConnectionDone()));

        Assert.That(inner.LostReason!.Value, Is.TypeOf<TlsError>());
    }

    private sealed class ThrowingRecorder : TlsRecorder
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => throw new InvalidOperationException("application bug");
    }

    private sealed class RecordingClientFactory : ClientFactory
    {
        public RecordingClientFactory() : base(() => new TlsRecorder()) { }

        public Failure? LostReason { get; private set; }

        public override void ClientConnectionLost(Reactor.Protocols.IConnector connector, Failure reason) => LostReason = reason;
    }
}
