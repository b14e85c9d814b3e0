using System.Net;
using Reactor.Core;
using Reactor.Protocols;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Udp;

/// <summary>
/// The datagram hot path allocates nothing in steady state: a ping-pong between two UDP ports,
/// reads, writes and loop iterations included, measured on the reactor thread.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[NonParallelizable]
public class UdpAllocationTests(SelectorKind kind)
{
    private sealed class PingPong : DatagramProtocol
    {
        public long Count;

        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
        {
            Count++;
            Transport.Write(data, from); // the same sender EndPoint instance every time
        }
    }

    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public void AnEchoedDatagramAllocatesNothingInSteadyState(string loopback)
    {
        using var reactor = CreateReactor(out _, kind);
        var a = new PingPong();
        var b = new PingPong();
        var portA = reactor.ListenUdp(0, a, loopback);
        var portB = reactor.ListenUdp(0, b, loopback);
        // A few datagrams in flight, bouncing for ever between the two ports.
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

        TestContext.Out.WriteLine($"{datagrams} datagrams echoed, {allocated} bytes allocated on the reactor thread ({(double)allocated / datagrams:F3} B/datagram)");
        Assert.That(datagrams, Is.GreaterThanOrEqualTo(20_000));
        Assert.That(allocated, Is.Zero);
    }
}
