using System.Text;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Tests.Net.Tls.Support;

namespace Reactor.Tests.Net.Tls;

/// <summary>Producers, pausing and bounded buffering through the TLS layer.</summary>
public sealed class TlsBackpressureTests
{
    [Test]
    public void SixtyFourMebibytesToASlowReaderWithBoundedBuffers()
    {
        const long total = 64L * 1024 * 1024;
        var sender = new BulkSender(total);
        var pair = Connect(sender, out var reader);

        long maxSenderQueue = 0, maxHeld = 0, maxCiphertext = 0;
        pair.Run(() =>
        {
            maxSenderQueue = Math.Max(maxSenderQueue, pair.Pump.ServerTransport.PendingOutput);
            maxHeld = Math.Max(maxHeld, pair.ServerLayer.HeldPlaintext);
            maxCiphertext = Math.Max(maxCiphertext, pair.ClientLayer.BufferedCiphertext);
            return reader.LostCount == 1 && sender.LostCount == 1;
        }, maxRounds: 10_000_000);

        Assert.Multiple(() =>
        {
            Assert.That(reader.Count, Is.EqualTo(total));
            Assert.That(reader.FirstMismatch, Is.EqualTo(-1));
            Assert.That(reader.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(sender.Pauses, Is.GreaterThan(100), "the producer was paused over and over");
            Assert.That(reader.Deliveries, Is.GreaterThan(1000));
            // Bounded: a few chunks, never a meaningful part of the 64 MiB.
            Assert.That(maxSenderQueue, Is.LessThan(512 * 1024));
            Assert.That(maxHeld, Is.LessThan(512 * 1024));
            Assert.That(maxCiphertext, Is.LessThan(512 * 1024));
        });
    }

    /// <summary>Twisted: TLSProducerTests.test_streamingProducerPausedInWriteBlockedOnReadMode and test_streamingProducerResumedInWriteBlockedOnReadMode (protocols/test/test_tls.py).</summary>
    [Test]
    public void PushProducerIsPausedWhileTheHandshakeHoldsItsWrites()
    {
        var sender = new BulkSender(256 * 1024);
        var pair = Connect(sender, out var reader);

        Assert.That(sender.Pauses, Is.EqualTo(1), "the first write was held, and the producer paused");
        Assert.That(sender.Sent, Is.EqualTo(64 * 1024));

        pair.Run(() => reader.Count == 256 * 1024);
        Assert.That(reader.FirstMismatch, Is.EqualTo(-1));
    }

    /// <summary>Twisted: TLSProducerTests.test_nonStreamingProducer (pull producers through TLS).</summary>
    [Test]
    public void PullProducerIsAskedForEachChunk()
    {
        var server = new PullSender(chunks: 40, chunkSize: 10_000);
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);

        pair.Run(() => client.LostCount == 1);

        Assert.Multiple(() =>
        {
            Assert.That(client.ReceivedCount, Is.EqualTo(400_000));
            Assert.That(server.Asked, Is.EqualTo(41), "once per chunk, and once more to learn it is finished");
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        });
    }

    [Test]
    public void PausedProtocolReceivesNothingUntilResumed()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        pair.Run(() => server.HandshakeDone && client.HandshakeDone);

        server.Transport.PauseProducing();
        client.Transport.Write(Encoding.ASCII.GetBytes("held back"));
        pair.Run();
        var whilePaused = server.ReceivedCount;
        server.Transport.ResumeProducing();
        var insideResume = server.ReceivedCount;
        pair.Run(() => server.ReceivedCount == 9);

        Assert.Multiple(() =>
        {
            Assert.That(whilePaused, Is.Zero);
            Assert.That(insideResume, Is.Zero, "delivery resumes on a later iteration, never inside ResumeProducing");
            Assert.That(server.ReceivedText, Is.EqualTo("held back"));
        });
    }

    /// <summary>Twisted: TLSProducerTests.test_streamingProducerTwice.</summary>
    [Test]
    public void SecondProducerIsRefused()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        TlsPair.Connect(server, client);
        var producer = new BulkSender(0);
        client.Transport.RegisterProducer(producer, streaming: true);

        Assert.Throws<InvalidOperationException>(() => client.Transport.RegisterProducer(producer, streaming: true));
        Assert.Throws<ArgumentException>(() => server.Transport.RegisterProducer(new PullSender(1, 1), streaming: true));
    }

    /// <summary>Twisted: TLSProducerTests.test_streamingProducerAfterConnectionLost.</summary>
    [Test]
    public void ProducerRegisteredAfterTheConnectionIsGoneIsStopped()
    {
        var server = new TlsRecorder();
        var client = new TlsRecorder();
        var pair = TlsPair.Connect(server, client);
        client.Transport.LoseConnection();
        pair.Run(() => client.LostCount == 1);
        var producer = new BulkSender(10);

        client.Transport.RegisterProducer(producer, streaming: true);

        Assert.That(producer.Stopped, Is.True);
    }

    private static TlsPair Connect(BulkSender sender, out SlowReader reader)
    {
        var clock = new Reactor.Time.Clock();
        reader = new SlowReader(clock);
        return TlsPair.Connect(sender, reader, clock: clock);
    }

    /// <summary>A pull producer writing a fixed number of chunks, then closing.</summary>
    private sealed class PullSender(int chunks, int chunkSize) : TlsRecorder, IPullProducer
    {
        public int Asked { get; private set; }

        public override void HandshakeCompleted()
        {
            base.HandshakeCompleted();
            Transport.RegisterProducer(this, streaming: false);
        }

        public void ResumeProducing()
        {
            Asked++;
            if (Asked <= chunks)
            {
                Transport.Write(new byte[chunkSize]);
                return;
            }
            Transport.UnregisterProducer();
            Transport.LoseConnection();
        }

        public void StopProducing() { }
    }
}
