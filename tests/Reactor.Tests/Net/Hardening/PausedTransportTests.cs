using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 5: a transport its protocol paused is watched for nothing, so the selector's
/// table does not hold it. It is still known to the reactor: shutdown and Dispose close it and tell
/// its protocol, and the peer sees the connection end.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class PausedTransportTests(SelectorKind kind)
{
    [Test]
    public void DisposeClosesAPausedTransportAndTellsItsProtocol()
    {
        var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var server = new PausingProtocol();
        var port = NetTesting.PortOf(reactor.ListenTcp(0, Factory.ForProtocol(() => server), @interface: "127.0.0.1"));
        using var client = Connect(port);
        reactor.RunUntil(() => server.Paused, "the server to pause its transport");

        reactor.Dispose();

        Assert.That(server.LostReason, Is.Not.Null, "the paused protocol heard ConnectionLost");
        Assert.That(ReadsEnd(client), Is.True, "the socket was closed");
    }

    [Test]
    public void ShutdownClosesAPausedTransportAndTellsItsProtocol()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var server = new PausingProtocol();
        var port = NetTesting.PortOf(reactor.ListenTcp(0, Factory.ForProtocol(() => server), @interface: "127.0.0.1"));
        using var client = Connect(port);
        reactor.RunUntil(() => server.Paused, "the server to pause its transport");

        reactor.CallLater(TimeSpan.Zero, reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);

        Assert.That(server.LostReason, Is.Not.Null, "the paused protocol heard ConnectionLost at shutdown");
        Assert.That(ReadsEnd(client), Is.True, "the socket was closed");
        Assert.That(reactor.LiveConnections, Is.Zero);
    }

    [Test]
    public void AConnectionThatEndsIsForgotten()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var server = new PausingProtocol { PauseOnConnect = false };
        var port = NetTesting.PortOf(reactor.ListenTcp(0, Factory.ForProtocol(() => server), @interface: "127.0.0.1"));
        var client = Connect(port);
        reactor.RunUntil(() => reactor.LiveConnections == 1, "the connection to start");
        client.Dispose();
        reactor.RunUntil(() => server.LostReason is not null, "the server to hear the close");
        Assert.That(reactor.LiveConnections, Is.Zero);
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)NetTesting.Deadline.TotalMilliseconds };
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    private static bool ReadsEnd(Socket socket)
    {
        try
        {
            return socket.Receive(new byte[16]) == 0;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private sealed class PausingProtocol : Protocol
    {
        public bool PauseOnConnect { get; init; } = true;

        public bool Paused { get; private set; }

        public Failure? LostReason { get; private set; }

        public override void ConnectionMade()
        {
            if (!PauseOnConnect) return;
            Transport.PauseProducing();
            Paused = true;
        }

        public override void ConnectionLost(Failure reason) => LostReason = reason;
    }
}
