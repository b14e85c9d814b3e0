using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;

namespace Reactor.Tests.Testing;

// Modelled on twisted/test/test_iosim.py and twisted/test/test_loopback.py.
public class LoopbackPumpTests
{
    private sealed class Echo : RecordingProtocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            base.DataReceived(data);
            Transport.Write(data);
        }
    }

    private sealed class Greeter : RecordingProtocol
    {
        public override void ConnectionMade()
        {
            base.ConnectionMade();
            Transport.Write("hello"u8);
        }
    }

    /// <summary>Writes <see cref="Chunk"/> bytes each time it is resumed, until <see cref="Left"/> runs out.</summary>
    private sealed class CountingPushProducer(ITransport transport) : IPushProducer
    {
        public int Chunk = 1000;
        public int Left = 200_000;
        public bool Paused;
        public int Pauses;
        public int Resumes;
        public bool Stopped;

        public void Produce()
        {
            while (!Paused && Left > 0)
            {
                var n = Math.Min(Chunk, Left);
                Left -= n;
                transport.Write(new byte[n]);
            }
            if (Left == 0) transport.UnregisterProducer();
        }

        public void PauseProducing() { Paused = true; Pauses++; }
        public void ResumeProducing() { Paused = false; Resumes++; Produce(); }
        public void StopProducing() => Stopped = true;
    }

    private sealed class ThreeChunkPullProducer(ITransport transport) : IPullProducer
    {
        public int Calls;

        public void ResumeProducing()
        {
            if (++Calls > 3)
            {
                transport.UnregisterProducer();
                return;
            }
            transport.Write([(byte)('0' + Calls)]);
        }

        public void StopProducing() { }
    }

    [Test]
    public void GreetingIsDeliveredByConnect()
    {
        var client = new RecordingProtocol();
        var server = new Greeter();
        var pump = LoopbackPump.Connect(server, client);
        Assert.That(client.ReceivedText, Is.EqualTo("hello"));
        Assert.That(server.Events[0], Is.EqualTo("made"));
        Assert.That(pump.ServerTransport.GetPeer(), Is.EqualTo(pump.ClientTransport.GetHost()));
        Assert.That(pump.ClientTransport.GetPeer(), Is.EqualTo(pump.ServerTransport.GetHost()));
    }

    [Test]
    public void WithoutGreetNothingMovesUntilPumped()
    {
        var client = new RecordingProtocol();
        var pump = LoopbackPump.Connect(new Greeter(), client, greet: false);
        Assert.That(client.Received, Is.Empty);
        Assert.That(pump.Pump(), Is.True);
        Assert.That(client.ReceivedText, Is.EqualTo("hello"));
        Assert.That(pump.Pump(), Is.False);
    }

    [Test]
    public void EchoRoundTripAndOneByteChunks()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new Echo(), () => new RecordingProtocol());
        pump.MaxChunkSize = 1;
        client.Transport.Write("ping!"u8);
        Assert.That(pump.Flush(), Is.True);
        Assert.That(server.ChunkSizes, Is.EqualTo(new[] { 1, 1, 1, 1, 1 }));
        Assert.That(client.ReceivedText, Is.EqualTo("ping!"));
        Assert.Throws<ArgumentOutOfRangeException>(() => pump.MaxChunkSize = 0);
    }

    [Test]
    public void LoseConnectionFlushesThenBothSeeConnectionDone()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        client.Transport.Write("last words"u8);
        client.Transport.LoseConnection();
        client.Transport.Write("dropped"u8);
        pump.Flush();
        Assert.That(server.ReceivedText, Is.EqualTo("last words"));
        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(pump.BothDisconnected, Is.True);
        Assert.That(server.LostCount + client.LostCount, Is.EqualTo(2));
    }

    [Test]
    public void WhenBothDisconnectedFiresOnceBothSidesAreTold()
    {
        // Twisted's loopbackAsync: a Deferred that fires when both protocols have disconnected.
        var (client, _, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        var done = pump.WhenBothDisconnected();
        Assert.That(done.Called, Is.False);
        client.Transport.LoseConnection();
        pump.Flush();
        Assert.That(done.Called, Is.True);
        Assert.That(pump.WhenBothDisconnected().Called, Is.True);
    }

    [Test]
    public void AbortDropsQueuedBytes()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        ((IStreamTransport)client.Transport).Write("never sent"u8);
        ((IStreamTransport)client.Transport).AbortConnection();
        pump.Flush();
        Assert.That(server.Received, Is.Empty);
        Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionAborted>());
        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionLost>());
    }

    [Test]
    public void HalfCloseReachesHalfCloseableProtocolWhichCanStillReply()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new HalfCloseRecordingProtocol(), () => new HalfCloseRecordingProtocol());
        client.Transport.Write("ping"u8);
        ((IStreamTransport)client.Transport).LoseWriteConnection();
        pump.Flush();
        Assert.That(client.Events, Does.Contain("writeLost"));
        Assert.That(server.Events, Does.Contain("readLost"));
        Assert.That(server.LostReason, Is.Null);
        server.Transport.Write("pong"u8);
        ((IStreamTransport)server.Transport).LoseWriteConnection();
        pump.Flush();
        Assert.That(client.ReceivedText, Is.EqualTo("pong"));
        Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
    }

    [Test]
    public void HalfCloseToAnOrdinaryProtocolClosesTheConnection()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new HalfCloseRecordingProtocol());
        ((IStreamTransport)client.Transport).LoseWriteConnection();
        pump.Flush();
        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
    }

    [Test]
    public void StreamingProducerIsPausedWhileTheReaderIsPausedAndResumedAfter()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        var producer = new CountingPushProducer(client.Transport);
        client.Transport.RegisterProducer(producer, streaming: true);
        server.Transport.PauseProducing();
        producer.Produce();
        pump.Flush();
        Assert.Multiple(() =>
        {
            Assert.That(producer.Paused, Is.True, "queue past the high-water mark must pause the producer");
            Assert.That(server.Received, Is.Empty, "a paused reader receives nothing");
            Assert.That(pump.ClientTransport.PendingOutput, Is.EqualTo(66 * 1000), "66 writes of 1000 bytes pass 65,536");
        });
        server.Transport.ResumeProducing();
        pump.Flush();
        Assert.That(server.Received, Has.Count.EqualTo(200_000));
        Assert.That(producer.Resumes, Is.GreaterThanOrEqualTo(1));
        Assert.That(pump.ClientTransport.Producer, Is.Null);
    }

    [Test]
    public void PullProducerIsAskedOncePerDrain()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        var producer = new ThreeChunkPullProducer(client.Transport);
        client.Transport.RegisterProducer(producer, streaming: false);
        pump.Flush();
        Assert.That(server.ReceivedText, Is.EqualTo("123"));
        Assert.That(producer.Calls, Is.EqualTo(4));
    }

    [Test]
    public void PullProducerHoldsAClosingConnectionOpenUntilUnregistered()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        var producer = new ThreeChunkPullProducer(client.Transport);
        client.Transport.RegisterProducer(producer, streaming: false);
        client.Transport.LoseConnection();
        pump.Flush();
        // Writes after LoseConnection are dropped, but the close waits for the producer to finish.
        Assert.That(producer.Calls, Is.EqualTo(4));
        Assert.That(server.ReceivedText, Is.EqualTo("1"));
        Assert.That(pump.BothDisconnected, Is.True);
    }

    [Test]
    public void PausedReaderLearnsOfCloseOnlyAfterResuming()
    {
        var (client, server, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        server.Transport.PauseProducing();
        client.Transport.Write("x"u8);
        client.Transport.LoseConnection();
        pump.Flush();
        Assert.That(server.LostReason, Is.Null);
        server.Transport.ResumeProducing();
        pump.Flush();
        Assert.That(server.ReceivedText, Is.EqualTo("x"));
        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>());
    }

    [Test]
    public void ConnectionLostStopsTheRegisteredProducer()
    {
        var (client, _, pump) = LoopbackPump.ConnectedServerAndClient(() => new RecordingProtocol(), () => new RecordingProtocol());
        var producer = new CountingPushProducer(client.Transport) { Left = 10 };
        client.Transport.RegisterProducer(producer, streaming: true);
        ((IStreamTransport)client.Transport).AbortConnection();
        pump.Flush();
        Assert.That(producer.Stopped, Is.True);
    }

    [Test]
    public void FlushGivesUpOnProtocolsThatNeverGoQuiet()
    {
        var pump = LoopbackPump.Connect(new Echo(), new Echo(), greet: false);
        pump.ClientTransport.Write("x"u8);
        Assert.Throws<InvalidOperationException>(() => pump.Flush(maxRounds: 50));
    }
}
