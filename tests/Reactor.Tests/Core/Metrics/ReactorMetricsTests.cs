using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text;
using Reactor.Core;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net;
using Reactor.Tests.Net.Tls.Support;

namespace Reactor.Tests.Core.Metrics;

/// <summary>
/// Every instrument of the reactor's Meter, read through a MeterListener after real traffic
/// (TCP by host name, so a name resolution; TLS; a UNIX connection; timers; calls from threads),
/// and the activities around connect, TLS handshake and name resolution.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReactorMetricsTests
{
    private static readonly string[] Everything =
    [
        "reactor.connection.active", "reactor.connection.opened", "reactor.connection.closed", "reactor.io",
        "reactor.loop.iteration.duration", "reactor.loop.busy_ratio", "reactor.timer.lateness", "reactor.thread_calls.pending",
        "reactor.tls.handshakes", "reactor.tls.handshake.duration", "reactor.dns.lookups", "reactor.dns.lookup.duration",
    ];

    private sealed class Recorded
    {
        public readonly ConcurrentQueue<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> Measurements = new();

        public IEnumerable<double> Of(string name, params (string Key, string Value)[] tags) =>
            Measurements.Where(m => m.Name == name && tags.All(t => m.Tags.Any(x => x.Key == t.Key && Equals(x.Value, t.Value)))).Select(m => m.Value);
    }

    private static MeterListener Listen(ReactorLoop reactor, Recorded recorded)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, reactor.Meter)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => recorded.Measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => recorded.Measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => recorded.Measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.Start();
        return listener;
    }

    [Test]
    public void EveryInstrumentIsReadAfterRealTraffic()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger() });
        Assert.That(reactor.Meter.Name, Is.EqualTo(ReactorInstrumentation.MeterName));
        var recorded = new Recorded();
        using var listener = Listen(reactor, recorded);
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ReactorInstrumentation.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);

        // TCP by name ("localhost": a resolution), echoed, closed cleanly.
        var port = reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("twelve bytes"u8) };
        reactor.ConnectTcp("localhost", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.Received.Length == 12, "the TCP echo");
        client.Transport.LoseConnection();
        reactor.RunUntil(() => client.IsLost, "the TCP close");

        // TLS: one handshake each side.
        var tlsPort = reactor.ListenSsl(0, Factory.ForProtocol(() => new TlsRecorder { Echo = true }), TlsPair.ServerOptions(), @interface: "127.0.0.1");
        var tlsClient = new TlsRecorder { Greeting = Encoding.ASCII.GetBytes("secret") };
        reactor.ConnectSsl("127.0.0.1", NetTesting.PortOf(tlsPort), new RecordingClientFactory(() => tlsClient), TlsPair.ClientOptions());
        reactor.RunUntil(() => tlsClient.ReceivedText == "secret", "the TLS echo");

        // A UNIX connection from a socket pair, left open: it is active.
        var fds = new List<int>();
        var (mine, theirs) = LoopTestKit.SocketPair(fds);
        reactor.AdoptStreamConnection(theirs, AddressFamily.Unix, Factory.For<EchoProtocol>());
        LoopTestKit.Close(fds, theirs);
        LoopTestKit.Send(mine, 3);

        // A timer and calls from another thread.
        var timerRan = false;
        reactor.CallLater(TimeSpan.Zero, () => timerRan = true);
        var fromThread = 0;
        var thread = new Thread(() => { for (var i = 0; i < 5; i++) reactor.CallFromThread(() => fromThread++); });
        thread.Start();
        thread.Join();
        var echoed = 0;
        reactor.RunUntil(() => timerRan && fromThread == 5 && (echoed += Math.Max(0, LoopTestKit.Receive(mine))) >= 3, "the timer, the thread calls and the UNIX echo");

        listener.RecordObservableInstruments();
        LoopTestKit.CloseAll(fds);

        Assert.Multiple(() =>
        {
            foreach (var name in Everything) Assert.That(recorded.Of(name), Is.Not.Empty, $"{name} was measured");
            Assert.That(recorded.Of("reactor.connection.opened", ("network.transport", "tcp")).Single(), Is.EqualTo(4), "two TCP, two TLS ends");
            Assert.That(recorded.Of("reactor.connection.closed", ("network.transport", "tcp"), ("reactor.close.reason", "done")).Single(), Is.EqualTo(2));
            Assert.That(recorded.Of("reactor.connection.active", ("network.transport", "tcp")).Single(), Is.EqualTo(2), "the TLS pair is still open");
            Assert.That(recorded.Of("reactor.connection.active", ("network.transport", "unix")).Single(), Is.EqualTo(1));
            Assert.That(recorded.Of("reactor.io", ("network.transport", "unix"), ("network.io.direction", "receive")).Single(), Is.EqualTo(3));
            Assert.That(recorded.Of("reactor.io", ("network.transport", "tcp"), ("network.io.direction", "transmit")).Single(), Is.GreaterThanOrEqualTo(24),
                "12 bytes each way, plus TLS records");
            Assert.That(recorded.Of("reactor.tls.handshakes").Count(), Is.EqualTo(2));
            Assert.That(recorded.Of("reactor.dns.lookups"), Is.Not.Empty);
            Assert.That(recorded.Of("reactor.loop.busy_ratio").All(r => r is >= 0 and <= 1), Is.True);
            Assert.That(recorded.Of("reactor.timer.lateness").All(s => s >= 0), Is.True);
            Assert.That(recorded.Of("reactor.thread_calls.pending").Single(), Is.Zero, "all ran");
            var names = activities.Select(a => a.OperationName).ToList();
            Assert.That(names, Does.Contain("connect").And.Contain("tls.handshake").And.Contain("dns.lookup"));
            Assert.That(activities.Count(a => a.OperationName == "tls.handshake"), Is.EqualTo(2));
        });
    }

    [Test]
    public void AReactorMakesItsMeterFromTheFactoryItIsGiven()
    {
        var factory = new RecordingMeterFactory();
        using (var reactor = ReactorLoop.Create(new ReactorOptions { MeterFactory = factory }))
        {
            Assert.That(reactor.Meter, Is.SameAs(factory.Made.Single()));
        }
        Assert.That(factory.Made.Single().Name, Is.EqualTo("Reactor"));
    }

    [Test]
    public void TwoReactorsAreMeasuredApart()
    {
        using var first = ReactorLoop.Create();
        using var second = ReactorLoop.Create();
        Assert.That(first.Meter, Is.Not.SameAs(second.Meter), "no static Meter: each reactor (and each test) has its own");
    }

    private sealed class RecordingMeterFactory : IMeterFactory
    {
        public List<Meter> Made { get; } = new();

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Made.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in Made) meter.Dispose();
        }
    }
}
