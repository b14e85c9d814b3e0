using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>
/// What one connection's life cycle (accept, one echo, the peer's reset, close) allocates on the
/// reactor thread (issue 17, churn): counted, and held under a bound so a regression shows. The
/// clients are plain sockets on another thread, so only the reactor's own allocations count.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class ConnectionAllocationTests(SelectorKind kind)
{
    // Measured when written (issue 17): 820 bytes per connection on every backend — the transport
    // (TcpConnection + its output buffer), the peer's IPEndPoint + IPAddress, the protocol, and at
    // the end the reason (ConnectionLost + the SocketException inside it) and its Failure. The bound
    // leaves room for small additions but not for a stack walk (a StackTrace is several KiB).
    private const long BoundPerConnection = 2048;

    [Test]
    public void AConnectionsLifeCycleAllocatesABoundedAmount()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var lost = 0;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => new LostCounting(() => lost++)), @interface: "127.0.0.1");
        var endPoint = new IPEndPoint(IPAddress.Loopback, NetTesting.PortOf(port));

        void Churn(int count)
        {
            var target = lost + count;
            var clients = Task.Run(() =>
            {
                var one = new byte[1];
                for (var i = 0; i < count; i++)
                {
                    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    client.Connect(endPoint);
                    client.Send(one);
                    client.Receive(one);
                    client.LingerState = new LingerOption(true, 0); // close with RST, as the churn benchmark does
                }
            });
            reactor.RunUntil(() => lost >= target && clients.IsCompleted, $"{count} connections accepted, echoed and lost");
            clients.GetAwaiter().GetResult();
        }

        Churn(50); // warm up: JIT, pools, the descriptor table's growth
        const int measured = 200;
        // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Churn(measured);
        var perConnection = (GC.GetAllocatedBytesForCurrentThread() - before) / measured;
        TestContext.Out.WriteLine($"{kind}: {perConnection} bytes allocated on the reactor thread per connection");
        Assert.That(perConnection, Is.LessThanOrEqualTo(BoundPerConnection));
        port.StopListening();
    }

    private sealed class LostCounting(Action onLost) : Protocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

        public override void ConnectionLost(Reactor.Defer.Failure reason) => onLost();
    }
}
