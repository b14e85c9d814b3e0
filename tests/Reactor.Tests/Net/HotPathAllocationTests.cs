using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>The steady-state read and write path allocates nothing (DESIGN.md, hot path rule 4).</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class HotPathAllocationTests(SelectorKind kind)
{
    [TestCase(0, TestName = "{m}(write-through)")]
    [TestCase(int.MaxValue, TestName = "{m}(gathered)")]
    public void EchoRoundTripsAllocateNothing(int writeThroughThreshold)
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var port = reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var client = new CountingClient();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.Connected, "the connection");
        ((StreamTransport)client.Transport).WriteThroughThreshold = writeThroughThreshold;
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

        RoundTrips(200); // warm up: JIT, pools, first segment
        // Not a bare GetAllocatedBytesForCurrentThread: see ThreadAllocation for the background-GC artefact.
        var allocated = ThreadAllocation.During(() => RoundTrips(1000));
        Assert.That(allocated, Is.Zero, "bytes allocated by 1,000 echo round trips");
    }

    private sealed class CountingClient : Protocol
    {
        public long Received;

        public override void DataReceived(ReadOnlySpan<byte> data) => Received += data.Length;

        public override void ConnectionLost(Failure reason) => base.ConnectionLost(reason);
    }
}
