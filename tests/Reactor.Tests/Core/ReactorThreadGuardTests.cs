using System.Net;
using Reactor.Core;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Net;

namespace Reactor.Tests.Core;

/// <summary>
/// Issue 19.2: reactor-thread-only members refuse other threads while the reactor runs. Twisted has no
/// such guard (its rule is documented in twisted.internet.interfaces.IReactorThreads); these tests are ours.
/// </summary>
public class ReactorThreadGuardTests
{
    /// <summary>Runs <paramref name="reactor"/> on its own thread until <paramref name="body"/> (run on the test thread) returns.</summary>
    private static void WhileRunningElsewhere(ReactorLoop reactor, Action body)
    {
        var running = new ManualResetEventSlim();
        reactor.CallWhenRunning(running.Set);
        var loop = new Thread(() => reactor.Run()) { IsBackground = true, Name = "reactor under test" };
        loop.Start();
        try
        {
            Assert.That(running.Wait(LoopTestKit.Deadline), Is.True, "the reactor did not start");
            body();
        }
        finally
        {
            reactor.Stop(); // hands itself over
            Assert.That(loop.Join(LoopTestKit.Deadline), Is.True, "the reactor did not stop");
        }
    }

    private static void AssertRefused(TestDelegate call, string member)
    {
        var e = Assert.Throws<InvalidOperationException>(call)!;
        Assert.That(e.Message, Does.Contain(member).And.Contain("CallFromThread"));
    }

    [Test]
    public void TimersAndDescriptorsRefuseAnotherThreadWhileTheReactorRuns()
    {
        using var reactor = ReactorLoop.Create();
        var fds = new List<int>();
        var (a, _) = LoopTestKit.SocketPair(fds);
        try
        {
            WhileRunningElsewhere(reactor, () =>
            {
                AssertRefused(() => reactor.CallLater(TimeSpan.FromSeconds(1), () => { }), "CallLater");
                AssertRefused(() => reactor.CallLater(TimeSpan.FromSeconds(1), static (int _) => { }, 0), "CallLater");
                var reader = new NullDescriptor(a);
                AssertRefused(() => reactor.AddReader(reader), "AddReader");
                AssertRefused(() => reactor.AddWriter(reader), "AddWriter");
                AssertRefused(() => reactor.RemoveReader(reader), "RemoveReader");
                AssertRefused(() => reactor.ListenTcp(0, Factory.ForProtocol(() => new SignallingProtocol())), "ListenTcp");
                // The hand-over itself is the way: it works from any thread.
                var done = new ManualResetEventSlim();
                reactor.CallFromThread(() => reactor.CallLater(TimeSpan.Zero, done.Set));
                Assert.That(done.Wait(LoopTestKit.Deadline), Is.True);
            });
        }
        finally
        {
            LoopTestKit.CloseAll(fds);
        }
        // Not running: set-up (and tear-down) from any one thread is allowed.
        var call = reactor.CallLater(TimeSpan.FromSeconds(1), () => { });
        call.Cancel();
    }

    [Test]
    public void TransportWritesAndClosesRefuseAnotherThreadAndTheConnectionStaysIntact()
    {
        using var reactor = ReactorLoop.Create();
        RecordingProtocol? server = null;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new SignallingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => server is { Connected: true } && client.Transport is not null, "the connection");

        WhileRunningElsewhere(reactor, () =>
        {
            var transport = (IStreamTransport)server!.Transport;
            AssertRefused(() => transport.Write("x"u8), "Write");
            AssertRefused(() => transport.WriteSequence(new System.Buffers.ReadOnlySequence<byte>(new byte[1])), "WriteSequence");
            AssertRefused(transport.LoseConnection, "LoseConnection");
            AssertRefused(transport.AbortConnection, "AbortConnection");
            // The right way still works, and nothing the refused calls did reached the wire.
            reactor.CallFromThread(() => transport.Write("ok"u8));
            Assert.That(client.GotTwoBytes.Wait(LoopTestKit.Deadline), Is.True, "the handed-over write never arrived");
            Assert.That(client.Text, Is.EqualTo("ok"));
        });
    }

    private sealed class SignallingProtocol : Protocol
    {
        private readonly List<byte> _received = new();

        public ManualResetEventSlim GotTwoBytes { get; } = new();

        public string Text { get; private set; } = "";

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _received.AddRange(data.ToArray());
            if (_received.Count < 2) return;
            Text = System.Text.Encoding.ASCII.GetString(_received.ToArray());
            GotTwoBytes.Set();
        }
    }

    private sealed class NullDescriptor(int fd) : IReadDescriptor, IWriteDescriptor
    {
        public int FileDescriptor => fd;

        public Exception? DoRead() => null;

        public Exception? DoWrite() => null;

        public void ConnectionLost(Reactor.Defer.Failure reason)
        {
        }
    }
}
