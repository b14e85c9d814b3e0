using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 6: closing a connection while the peer is still sending must not turn the end of
/// the reply into an RST. The server's reply is larger than the socket buffers; the client reads most
/// of it, then (once the server has closed) sends a few bytes more before reading the rest. Fixed
/// buffer sizes (the server's send buffer large, the client's window small) leave part of the reply
/// in the server's kernel when it closes. A closed socket answers the client's bytes with RST, and
/// the kernel drops the part of the reply it still held.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class LingeringCloseTests(SelectorKind kind)
{
    private const int Reply = 32 * 1024 * 1024;
    private const int LeftInTheKernel = 512 * 1024;
    private const int ClientWindow = 64 * 1024;
    private const int ServerSendBuffer = 1024 * 1024;

    [Test]
    public void ALingeringCloseDeliversTheWholeReplyAndAnOrderlyEndToAPeerThatKeptSending()
    {
        var outcome = Exchange(linger: true, out var server);
        Assert.That(outcome.Received, Is.EqualTo(Reply), "every byte of the reply arrived");
        Assert.That(outcome.Reset, Is.False, "the connection ended with FIN, not RST");
        Assert.That(server.LostReason, Is.Not.Null);
    }

    [Test]
    public void APlainCloseIsResetByBytesThePeerSendsAfterItAndLosesTheEndOfTheReply()
    {
        // Why the lingering close exists: the kernel answers a close over unread input with RST.
        var outcome = Exchange(linger: false, out _);
        Assert.That(outcome.Reset, Is.True, $"expected a reset after {outcome.Received} bytes");
        Assert.That(outcome.Received, Is.LessThan(Reply), "the end of the reply was lost");
    }

    [Test]
    public void ALingeringCloseEndsAfterItsTimeoutWhenThePeerNeverCloses()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        var server = new ReplyThenClose(linger: true, reactor, TimeSpan.FromMilliseconds(100), reply: 16);
        var port = NetTesting.PortOf(reactor.ListenTcp(0, Factory.ForProtocol(() => server), @interface: "127.0.0.1"));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        client.Send([1]);
        // The client never closes and never reads: only the drain timeout can end the connection.
        reactor.RunUntil(() => server.LostReason is not null, "the lingering close to give up");
        Assert.That(server.LostReason!.Value, Is.Not.Null);
    }

    private (long Received, bool Reset) Exchange(bool linger, out ReplyThenClose server)
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        var protocol = new ReplyThenClose(linger, reactor, NetTesting.Deadline, Reply);
        server = protocol;
        var port = NetTesting.PortOf(reactor.ListenTcp(0, Factory.ForProtocol(() => protocol), @interface: "127.0.0.1"));
        var readMost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sendMore = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = Task.Run(() => Client(port, readMost, sendMore.Task));
        reactor.RunUntil(() => readMost.Task.IsCompleted || client.IsFaulted, "the client to read most of the reply");
        // The server has handed its whole reply to the kernel and closed (or half-closed).
        reactor.RunUntil(() => linger ? ((IWriteBuffer)protocol.Transport).PendingBytes == 0 : protocol.LostReason is not null, "the server's close");
        sendMore.SetResult();
        reactor.RunUntil(() => client.IsCompleted && (protocol.LostReason is not null || !linger), "the client to read to the end");
        return client.Result;
    }

    /// <summary>Asks, reads all but the last bytes of the reply, sends more when told, then reads to the end.</summary>
    private static (long Received, bool Reset) Client(int port, TaskCompletionSource readMost, Task sendMore)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)NetTesting.Deadline.TotalMilliseconds,
            ReceiveBufferSize = ClientWindow, // before connect, so the window is small from the start
        };
        socket.Connect(IPAddress.Loopback, port);
        socket.Send([1]);
        var buffer = new byte[256 * 1024];
        long received = 0;
        while (received < Reply - LeftInTheKernel)
        {
            var n = socket.Receive(buffer, 0, (int)Math.Min(buffer.Length, Reply - LeftInTheKernel - received), SocketFlags.None);
            if (n == 0) return (received, false);
            received += n;
        }
        readMost.SetResult();
        if (!sendMore.Wait(NetTesting.Deadline)) throw new TimeoutException("the server never closed");
        try
        {
            socket.Send(new byte[1024]);
            int n;
            while ((n = socket.Receive(buffer)) > 0) received += n;
            return (received, false);
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            return (received, true);
        }
    }

    /// <summary>Answers the first bytes with a reply and closes, lingering or not; later input is ignored.</summary>
    private sealed class ReplyThenClose(bool linger, ReactorLoop clock, TimeSpan drain, int reply) : Protocol
    {
        private bool _replied;

        public Failure? LostReason { get; private set; }

        public override void ConnectionMade() =>
            ((ISocketOptions)Transport).SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.SendBuffer, ServerSendBuffer);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (_replied) return;
            _replied = true;
            Transport.Write(new byte[reply]);
            if (linger) Transport.LoseConnectionLingering(clock, drain);
            else Transport.LoseConnection();
        }

        public override void ConnectionLost(Failure reason) => LostReason = reason;
    }
}
