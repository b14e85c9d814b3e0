using System.Diagnostics.Metrics;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Tests.Net;

namespace Reactor.Tests.Core.Metrics;

/// <summary>Metrics cost the hot path no allocation, even with a MeterListener taking every measurement.</summary>
public sealed class MetricsAllocationTests
{
    [Test]
    public void EchoRoundTripsAllocateNothingWithAListenerOnEveryInstrument()
    {
        // The default backend of this OS (epoll on Linux).
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger() });
        long measurements = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, reactor.Meter)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => measurements++);
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => measurements++);
        listener.SetMeasurementEventCallback<int>((_, _, _, _) => measurements++);
        listener.Start();

        var port = reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var client = new CountingClient();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.Connected, "the connection");
        ((StreamTransport)client.Transport).WriteThroughThreshold = 0;
        var message = new byte[64];

        void RoundTrips(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var target = client.Received + message.Length;
                client.Transport.Write(message);
                while (client.Received < target) reactor.Iterate(TimeSpan.FromSeconds(1));
            }
        }

        RoundTrips(200); // warm up
        var seenBefore = measurements;
        // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrips(1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(measurements, Is.GreaterThan(seenBefore), "the listener was taking measurements (loop iteration durations)");
        Assert.That(allocated, Is.Zero, "bytes allocated by 1,000 echo round trips with the listener attached");
    }

    private sealed class CountingClient : Protocol
    {
        public long Received;

        public override void DataReceived(ReadOnlySpan<byte> data) => Received += data.Length;

        public override void ConnectionLost(Failure reason) => base.ConnectionLost(reason);
    }
}
