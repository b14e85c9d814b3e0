using System.Net;
using System.Net.Sockets;
using Reactor.Net;
using Reactor.Net.Group;
using Reactor.Protocols;
using Reactor.Tests.Net;

namespace Reactor.Tests.Group;

/// <summary>A connection handed to a loop that no longer takes any is closed, never leaked.</summary>
[TestFixture]
public class HandOffReceiverTests
{
    [Test]
    public void AConnectionHandedToAStoppedReceiverIsClosed()
    {
        using var reactor = ReactorLoop.Create();
        var receiver = new HandOffReceiver(reactor, Factory.For<EchoProtocol>(), "test");
        receiver.Start();
        receiver.Stop();

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
        client.Connect(listener.LocalEndPoint!);
        var accepted = listener.Accept();
        var fd = (int)accepted.SafeHandle.DangerousGetHandle();
        accepted.SafeHandle.SetHandleAsInvalid(); // the receiver owns the descriptor now

        receiver.Take(fd, (IPEndPoint)client.LocalEndPoint!);

        Assert.That(client.Receive(new byte[1]), Is.EqualTo(0), "the peer sees the close");
    }

    [Test]
    public void ConnectionsWaitingForAStoppedLoopAreClosedWhenTheGroupIsDisposed()
    {
        var group = ReactorGroup.Create(2);
        var listening = group.ListenTcp(0, _ => Factory.For<EchoProtocol>(), @interface: "127.0.0.1", mode: GroupListenMode.HandOff);
        var port = ((IPEndPoint)listening.GetHost()).Port;
        // Loop 1 stops at once; loop 0 goes on accepting a moment, dealing every second connection to loop 1's inbox.
        group.Loops[1].CallWhenRunning(group.Loops[1].Stop);
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
        first.Connect(IPAddress.Loopback, port);
        second.Connect(IPAddress.Loopback, port);
        group.Run();
        group.Dispose();
        Assert.That(ClosedByThePeer(first), Is.True, "closed by the shutdown or the dispose");
        Assert.That(ClosedByThePeer(second), Is.True, "closed by the shutdown or the dispose");
    }

    /// <summary>
    /// The server closed (FIN), or reset the connection (still in the backlog when the listening socket
    /// closed); a connection nobody closed would time out instead.
    /// </summary>
    private static bool ClosedByThePeer(Socket client)
    {
        try
        {
            return client.Receive(new byte[1]) == 0;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
