using System.Net;
using System.Runtime.Versioning;
using Reactor.Protocols;
using Reactor.Tests.Net;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Unix;

/// <summary>UNIX datagrams between two named sockets allocate nothing in steady state (the peer address cache).</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[NonParallelizable]
[UnsupportedOSPlatform("windows")]
public class UnixDatagramAllocationTests(SelectorKind kind)
{
    private sealed class PingPong : DatagramProtocol
    {
        public long Count;

        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
        {
            Count++;
            Transport.Write(data, from);
        }
    }

    [Test]
    public void AnEchoedUnixDatagramAllocatesNothingInSteadyState()
    {
        var dir = TempDirectory();
        try
        {
            using var reactor = CreateReactor(out _, kind);
            var a = new PingPong();
            var b = new PingPong();
            var portA = reactor.ListenUnixDatagram(Path.Combine(dir, "a.sock"), a);
            var portB = reactor.ListenUnixDatagram(Path.Combine(dir, "b.sock"), b);
            for (var i = 0; i < 4; i++) portA.Write(new byte[64], portB.GetHost());

            IterateUntil(reactor, () => a.Count > 2_000, "warm-up");
            // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = a.Count + b.Count;
            var until = DateTime.UtcNow + Deadline;
            while (a.Count + b.Count - start < 20_000 && DateTime.UtcNow < until) reactor.Iterate(TimeSpan.FromMilliseconds(50));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var datagrams = a.Count + b.Count - start;

            TestContext.Out.WriteLine($"{datagrams} UNIX datagrams echoed, {allocated} bytes allocated on the reactor thread");
            Assert.That(datagrams, Is.GreaterThanOrEqualTo(20_000));
            Assert.That(allocated, Is.Zero);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
