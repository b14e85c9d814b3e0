using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Stream;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Time;

namespace Reactor.Tests.Net;

/// <summary>Backpressure: producers paused above the high-water mark and resumed as output drains.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TcpFlowControlTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = NetTesting.CreateReactor(kind, new CapturingLogger());

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    /// <summary>Writes a patterned stream of <see cref="Total"/> bytes in chunks while not paused.</summary>
    private sealed class PatternProducer(ITransport transport, long total, int chunk) : IPushProducer
    {
        private readonly byte[] _chunk = new byte[chunk];
        private bool _paused;
        public long Written;
        public int Pauses;
        public int Resumes;
        public long MaxPending;
        public bool Stopped;

        public long Total => total;

        public void Produce()
        {
            var buffer = (IWriteBuffer)transport;
            while (!_paused && Written < total)
            {
                var n = (int)Math.Min(_chunk.Length, total - Written);
                for (var i = 0; i < n; i++) _chunk[i] = NetTesting.PatternAt(Written + i);
                transport.Write(_chunk.AsSpan(0, n));
                Written += n;
                MaxPending = Math.Max(MaxPending, buffer.PendingBytes);
            }
            if (Written == total && !Stopped)
            {
                Stopped = true;
                transport.UnregisterProducer();
                transport.LoseConnection();
            }
        }

        public void PauseProducing()
        {
            _paused = true;
            Pauses++;
        }

        public void ResumeProducing()
        {
            _paused = false;
            Resumes++;
            Produce();
        }

        public void StopProducing() => _paused = true;
    }

    [Test]
    public void SixtyFourMebibytesToASlowReaderKeepTheWritersMemoryBounded()
    {
        const long total = 64L * 1024 * 1024;
        const int chunk = 16 * 1024;
        PatternProducer? producer = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnConnectionMade = p =>
            {
                producer = new PatternProducer(p.Transport, total, chunk);
                p.Transport.RegisterProducer(producer, streaming: true);
                producer.Produce();
            },
        }), @interface: "127.0.0.1");

        // The reader takes a break after every 1 MiB: pauses its transport and resumes it from a timer.
        var reader = new PatternChecker();
        long nextBreak = 1024 * 1024;
        var breaks = 0;
        var slowReader = new SlowReader(reader, () =>
        {
            if (reader.Received < nextBreak) return false;
            nextBreak += 1024 * 1024;
            breaks++;
            return true;
        }, _reactor);
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => slowReader));
        _reactor.RunUntil(() => reader.Lost is not null, "the whole stream", TimeSpan.FromSeconds(120));

        Assert.That(reader.Lost!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(reader.Received, Is.EqualTo(total), "every byte arrives");
        Assert.That(reader.FirstMismatch, Is.EqualTo(-1), "in order");
        Assert.That(breaks, Is.GreaterThan(10));
        Assert.That(producer!.Pauses, Is.GreaterThan(0), "the producer was paused");
        Assert.That(producer.Resumes, Is.GreaterThan(0), "and resumed");
        Assert.That(producer.MaxPending, Is.LessThanOrEqualTo(IWriteBuffer.DefaultHighWaterMark + chunk),
            "pending output never exceeds the high-water mark by more than one write");
    }

    /// <summary>Pauses its transport when told to, and resumes it 5 ms later.</summary>
    private sealed class SlowReader(PatternChecker inner, Func<bool> takeBreak, IReactorTime clock) : Protocol
    {
        public override void MakeConnection(ITransport transport)
        {
            base.MakeConnection(transport);
            inner.MakeConnection(transport);
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            inner.DataReceived(data);
            if (!takeBreak()) return;
            Transport.PauseProducing();
            clock.CallLater(TimeSpan.FromMilliseconds(5), Transport.ResumeProducing);
        }

        public override void ConnectionLost(Reactor.Defer.Failure reason) => inner.ConnectionLost(reason);
    }

    [Test]
    public void HighWaterMarkIsStrictlyGreaterThanAndSettable()
    {
        // Twisted: 65,536 bytes pending do not pause a streaming producer; one more does.
        var events = new List<string>();
        var producer = new CountingPushProducer(events);
        var done = false;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnConnectionMade = p =>
            {
                // Gathered writes: nothing reaches the kernel until the end of the iteration.
                ((StreamTransport)p.Transport).WriteThroughThreshold = int.MaxValue;
                var buffer = (IWriteBuffer)p.Transport;
                Assert.That(buffer.HighWaterMark, Is.EqualTo(64 * 1024));
                p.Transport.RegisterProducer(producer, streaming: true);
                p.Transport.Write(new byte[64 * 1024]);
                events.Add($"pending {buffer.PendingBytes}");
                p.Transport.Write(new byte[1]);
                buffer.LowWaterMark = 1000;
                Assert.Throws<ArgumentOutOfRangeException>(() => buffer.HighWaterMark = 999);
                Assert.Throws<ArgumentOutOfRangeException>(() => buffer.LowWaterMark = -1);
                done = true;
            },
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => done && client.Received.Length == 64 * 1024 + 1, "the data to arrive");
        _reactor.RunUntil(() => events.Contains("resume"), "the producer to be resumed");
        Assert.That(events.Take(3), Is.EqualTo(new[] { "pending 65536", "pause", "resume" }));
    }

    [Test]
    public void PullProducerIsAskedForMoreAsOutputDrains()
    {
        PullSource? source = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnConnectionMade = p =>
            {
                source = new PullSource(p.Transport, chunks: 50);
                p.Transport.RegisterProducer(source, streaming: false);
            },
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.IsLost, "every chunk and the close");
        Assert.That(source!.Asked, Is.EqualTo(50));
        Assert.That(client.Received.Length, Is.EqualTo(50 * 1000));
    }

    [Test]
    public void RegisteringTwiceThrowsAndLossStopsTheProducer()
    {
        // Twisted: test_internet.py test_doubleProducer; abstract.py connectionLost stops the producer.
        var events = new List<string>();
        var producer = new CountingPushProducer(events);
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { Connected: true }, "the connection");

        server!.Transport.RegisterProducer(producer, streaming: true);
        Assert.Throws<InvalidOperationException>(() => server.Transport.RegisterProducer(new CountingPushProducer(events), streaming: true));
        Assert.Throws<ArgumentException>(() => { server.Transport.UnregisterProducer(); server.Transport.RegisterProducer(producer, streaming: false); });
        server.Transport.RegisterProducer(producer, streaming: true);
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => server.IsLost, "the server to see the close");
        Assert.That(events, Does.Contain("stop"));

        var late = new CountingPushProducer(events = new List<string>());
        server.Transport.RegisterProducer(late, streaming: true);
        Assert.That(events, Is.EqualTo(new[] { "stop" }), "registering on a closed transport stops the producer at once");
    }

    private sealed class CountingPushProducer(List<string> events) : IPushProducer
    {
        public void PauseProducing() => events.Add("pause");

        public void ResumeProducing() => events.Add("resume");

        public void StopProducing() => events.Add("stop");
    }

    private sealed class PullSource(ITransport transport, int chunks) : IPullProducer
    {
        public int Asked;

        public void ResumeProducing()
        {
            Asked++;
            transport.Write(new byte[1000]);
            if (Asked < chunks) return;
            transport.UnregisterProducer();
            transport.LoseConnection();
        }

        public void StopProducing() { }
    }
}
