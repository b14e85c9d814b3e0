using System.Net.Sockets;
using Reactor.Core;
using Reactor.Docs.Samples.Guides.Protocols;
using Reactor.Errors;
using Reactor.Testing;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/protocols.md: the visitor counter, without sockets and over a real one.</summary>
public class ProtocolsGuideTests
{
    [Test]
    public void EachVisitorIsGreetedWithItsNumberAndTheConnectionIsClosed()
    {
        var factory = new VisitorFactory();
        var first = new StringTransport();
        var protocol = factory.BuildProtocol(first.GetPeer());
        protocol.MakeConnection(first);
        Assert.That(first.ValueAsString(), Is.EqualTo("Welcome, visitor 1 (1 here now)\r\n"));
        Assert.That(first.Disconnecting, Is.True);

        var second = new StringTransport();
        factory.BuildProtocol(second.GetPeer()).MakeConnection(second);
        Assert.That(second.ValueAsString(), Is.EqualTo("Welcome, visitor 2 (2 here now)\r\n"));

        protocol.ConnectionLost(new Reactor.Defer.Failure(new ConnectionDone()));
        Assert.That(factory.Current, Is.EqualTo(1));
    }

    [Test]
    public void TheListenSnippetServesARealSocket()
    {
        using var reactor = ReactorLoop.Create();
        var port = VisitorServer.Listen(reactor);
        var address = (System.Net.IPEndPoint)port.GetHost();
        string? greeting = null;
        var client = new Thread(() =>
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(address);
            using var reader = new StreamReader(new NetworkStream(socket));
            greeting = reader.ReadToEnd();
            reactor.CallFromThread(reactor.Stop);
        });
        reactor.CallWhenRunning(client.Start);
        reactor.CallLater(TimeSpan.FromSeconds(30), reactor.Stop); // bound: never hang the suite
        reactor.Run();
        client.Join(TimeSpan.FromSeconds(30));
        Assert.That(greeting, Is.EqualTo("Welcome, visitor 1 (1 here now)\r\n"));
    }
}
