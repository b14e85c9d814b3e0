using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net;

/// <summary>
/// TCP on the io_uring completion driver, against the real kernel: connections are driven by
/// completions (no recv/send per message), a receive starved by an empty buffer ring is armed
/// again with no byte lost, a pause holds what the kernel already read and nothing reaches a
/// paused protocol, and an abort with a send in flight closes once that send reports. The
/// backend-parameterised TCP, UNIX and TLS suites run on io_uring too (the (IoUring) fixtures).
/// </summary>
public sealed class IoUringStreamDriverTests
{
    private IoUringSelector _selector = null!;
    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;

    private void Start(int bufferCount = 0, int bufferSize = 0, int receiveLimit = 0)
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        _selector = IoUringSelector.TryCreate(out _)!;
        if (bufferCount > 0) _selector.UseCompletionBuffers(bufferCount, bufferSize, receiveLimit);
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { SelectorFactory = () => _selector, Logger = _logger });
    }

    [TearDown]
    public void TearDown() => _reactor?.Dispose();

    [Test]
    public void ATcpConnectionIsDrivenByCompletionsBothWays()
    {
        Start();
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnData = (p, data) => p.Transport.Write(data),
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("ping"u8) };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => client.Received.Length == 4, "the echo");
        Assert.That(client.Received.ToArray(), Is.EqualTo("ping"u8.ToArray()));
        Assert.That(((StreamTransport)server!.Transport).DrivenByCompletion, Is.True);
        Assert.That(((StreamTransport)client.Transport).DrivenByCompletion, Is.True);
        Assert.That(_logger.Entries.Where(e => e.Level >= LogLevel.Warning), Is.Empty);
    }

    [Test]
    public void WhenTheBufferRingRunsDryTheReceiveIsArmedAgainAndNoByteIsLost()
    {
        Start(bufferCount: 2, bufferSize: 64);
        const int total = 256 * 1024;
        var checker = new PatternChecker();
        var port = NetTesting.PortOf(_reactor.ListenTcp(0, Factory.ForProtocol(() => checker), @interface: "127.0.0.1"));

        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sender.Connect(IPAddress.Loopback, port);
        var pattern = new byte[total];
        for (int i = 0; i < total; i++) pattern[i] = NetTesting.PatternAt(i);
        // Sent from another thread: the kernel's socket buffers hold less than the whole stream.
        var sending = Task.Run(() =>
        {
            sender.Send(pattern);
            sender.Shutdown(SocketShutdown.Send);
        });

        _reactor.RunUntil(() => checker.Lost is not null, "the whole stream and the FIN");
        Assert.That(sending.Wait(NetTesting.Deadline), Is.True);
        Assert.That(checker.Received, Is.EqualTo(total), "every byte");
        Assert.That(checker.FirstMismatch, Is.EqualTo(-1), "in order");
        Assert.That(checker.Lost!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(_selector.Completions.Starvations, Is.GreaterThan(0), "two 64-byte buffers ran dry");
        Assert.That(_selector.Completions.Buffers!.Available, Is.EqualTo(2), "every buffer came back");
    }

    [Test]
    public void APausedProtocolIsGivenNothingAndGetsEveryByteAfterResuming()
    {
        // 4-byte buffers: one 64-byte write arrives as many completions, most of them while paused.
        Start(bufferCount: 64, bufferSize: 4);
        var received = new MemoryStream();
        var paused = false;
        var deliveredWhilePaused = 0;
        var pauses = 0;
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnData = (p, data) =>
            {
                if (paused) deliveredWhilePaused++;
                received.Write(data);
                // Pause after every chunk; resume from the loop, a moment later.
                paused = true;
                pauses++;
                p.Transport.PauseProducing();
                _reactor.CallLater(TimeSpan.FromMilliseconds(1), () =>
                {
                    paused = false;
                    p.Transport.ResumeProducing();
                });
            },
        }), @interface: "127.0.0.1");
        var message = new byte[64];
        for (int i = 0; i < message.Length; i++) message[i] = NetTesting.PatternAt(i);
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write(message) };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => received.Length == message.Length, "every byte");
        Assert.That(received.ToArray(), Is.EqualTo(message), "in order, none lost");
        Assert.That(deliveredWhilePaused, Is.Zero, "nothing while paused");
        Assert.That(pauses, Is.GreaterThan(1));
    }

    [Test]
    public void APausedConnectionHoldsNoMoreThanTheBoundWhileItsPeerFloods()
    {
        // 64 buffers of 1 KiB and 4 KiB per multishot receive: the bound is 5 KiB, where an
        // unlimited multishot would go on filling the whole 64 KiB ring until the pause's cancel lands.
        Start(bufferCount: 64, bufferSize: 1024, receiveLimit: 4096);
        var reader = new PausingReader();
        var port = NetTesting.PortOf(_reactor.ListenTcp(0, Factory.ForProtocol(() => reader), @interface: "127.0.0.1"));
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(IPAddress.Loopback, port);
        peer.Blocking = false;

        var chunk = new byte[256 * 1024];
        long sent = 0, maxHeld = 0;
        int refusedInARow = 0;
        long bound = _selector.Completions.MaxHeldBytes;
        // The peer writes whenever the kernel takes more; the flood ends when it has refused every
        // attempt for 20 iterations in a row (the socket's buffers are full, nobody reads them).
        _reactor.RunUntil(() =>
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = NetTesting.PatternAt(sent + i);
            int n = peer.Send(chunk, 0, chunk.Length, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success && n > 0)
            {
                sent += n;
                refusedInARow = 0;
            }
            else
            {
                Assert.That(error, Is.EqualTo(SocketError.WouldBlock));
                refusedInARow++;
            }
            if (reader.Connected && reader.Transport is StreamTransport server) maxHeld = Math.Max(maxHeld, _selector.Completions.HeldBytes(server.FileDescriptor));
            Assert.That(sent, Is.LessThan(64L * 1024 * 1024), "the kernel never refused: nothing bounds the paused connection");
            return reader.Paused && refusedInARow >= 20;
        }, "the flood to stall against the paused connection");

        Assert.That(sent, Is.GreaterThan(8 * 5 * 1024), "the peer sent far more than the bound");
        Assert.That(maxHeld, Is.LessThanOrEqualTo(5 * 1024), "held for the paused connection, sampled every iteration");
        Assert.That(bound, Is.EqualTo(5 * 1024), "the documented bound: one receive's limit plus one buffer");

        reader.Transport.ResumeProducing();
        peer.Shutdown(SocketShutdown.Send);
        _reactor.RunUntil(() => reader.Checker.Lost is not null, "every byte and the FIN");
        Assert.That(reader.Checker.Received, Is.EqualTo(sent), "nothing lost");
        Assert.That(reader.Checker.FirstMismatch, Is.EqualTo(-1), "in order");
    }

    /// <summary>Checks the pattern; pauses its transport at the first bytes and leaves resuming to the test.</summary>
    [Test]
    public void PeersThatNeverLetTheirConnectionResumeCannotStarveTheOthers()
    {
        // 8 buffers of 1 KiB, a 4 KiB limit per receive: each paused connection holds up to 5 buffers,
        // so four of them could keep the whole ring. Their peers flood and never read: in an echo server
        // that is what pauses a connection for good (its output backs up), here the protocol pauses itself.
        Start(bufferCount: 8, bufferSize: 1024, receiveLimit: 4096);
        var readers = new List<PausingReader>();
        var pausedPort = _reactor.ListenTcp(0, Factory.ForProtocol(() => { var r = new PausingReader(); readers.Add(r); return r; }), @interface: "127.0.0.1");
        long sent = 0;
        var flooders = Enumerable.Range(0, 4).Select(_ =>
        {
            var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            peer.Connect(IPAddress.Loopback, NetTesting.PortOf(pausedPort));
            peer.Blocking = false;
            var chunk = new byte[64 * 1024];
            for (int i = 0; i < chunk.Length; i++) chunk[i] = NetTesting.PatternAt(i);
            int n = peer.Send(chunk, 0, chunk.Length, SocketFlags.None, out SocketError _);
            Assert.That(n, Is.GreaterThan(8 * 1024), "each peer sends more than a paused connection may hold");
            sent += n;
            return peer;
        }).ToList();
        try
        {
            _reactor.RunUntil(() => readers.Count == 4 && readers.All(r => r.Paused)
                && readers.Sum(r => _selector.Completions.HeldBytes(((StreamTransport)r.Transport).FileDescriptor)) >= 8 * 1024,
                "the four connections paused, holding the whole ring's worth (8 KiB)");

            var echoPort = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol { OnData = (p, data) => p.Transport.Write(data) }), @interface: "127.0.0.1");
            var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("still served"u8) };
            _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(echoPort), new RecordingClientFactory(() => client));
            _reactor.RunUntil(() => client.Received.Length == 12, "the echo, while four connections stay paused");
            Assert.That(client.Received.ToArray(), Is.EqualTo("still served"u8.ToArray()));
            Assert.That(_selector.Completions.Spills, Is.GreaterThanOrEqualTo(1), "the paused connections' bytes left the ring");

            // Resumed, every paused connection still gets its bytes, in order (the checker fails otherwise).
            foreach (var reader in readers) reader.Transport.ResumeProducing();
            _reactor.RunUntil(() => readers.Sum(r => r.Checker.Received) == sent, "every flooded byte delivered after the resume");
            Assert.That(readers.Select(r => r.Checker.FirstMismatch), Is.All.EqualTo(-1), "in order");
        }
        finally
        {
            foreach (var peer in flooders) peer.Dispose();
        }
    }

    private sealed class PausingReader : Protocol
    {
        public readonly PatternChecker Checker = new();

        public bool Paused { get; private set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            Checker.DataReceived(data);
            if (Paused) return;
            Paused = true;
            Transport.PauseProducing();
        }

        public override void ConnectionLost(Reactor.Defer.Failure reason) => Checker.ConnectionLost(reason);
    }

    [Test]
    public void ALargeWriteGoesOutWithSendAndTheRestIsSubmittedInOrder()
    {
        Start();
        const int total = 4 * 1024 * 1024;
        var pattern = new byte[total];
        for (int i = 0; i < total; i++) pattern[i] = NetTesting.PatternAt(i);
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol
        {
            // Written through (send(2) from this span); what the kernel refuses is copied and submitted.
            OnConnectionMade = p =>
            {
                p.Transport.Write(pattern);
                p.Transport.LoseConnection();
            },
        }), @interface: "127.0.0.1");
        var checker = new PatternChecker();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => checker));

        _reactor.RunUntil(() => checker.Lost is not null, "every byte and the close");
        Assert.That(checker.Received, Is.EqualTo(total));
        Assert.That(checker.FirstMismatch, Is.EqualTo(-1), "in order");
        Assert.That(checker.Lost!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void AnAbortWithASendInFlightEndsCleanlyOnBothSides()
    {
        Start();
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            // 8 MiB to a client that reads nothing: the send stays in flight, then the server aborts.
            OnConnectionMade = p =>
            {
                p.Transport.Write(new byte[8 * 1024 * 1024]);
                _reactor.CallLater(TimeSpan.FromMilliseconds(1), () => p.Tcp.AbortConnection());
            },
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.PauseProducing() };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => server is { IsLost: true }, "the abort");
        Assert.That(server!.LostReason!.Value, Is.InstanceOf<ConnectionAborted>());
        client.Transport.ResumeProducing();
        _reactor.RunUntil(() => client.IsLost, "the client to see the reset");
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionLost>());
        Assert.That(_logger.Entries.Where(e => e.Level >= LogLevel.Error), Is.Empty);
    }
}
