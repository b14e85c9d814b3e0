using System.Net;
using System.Net.Sockets;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>
/// A stream port is a push producer, as Twisted's is: paused, it accepts nobody and clients wait in
/// the backlog; resumed, it takes them; paused from a protocol mid-burst, it stops that burst at once.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class ListeningPortPauseTests(SelectorKind kind)
{
    private static Socket ConnectBlocking(IListeningPort port) => NetTesting.ConnectBlocking(port);

    /// <summary>
    /// Proves the reactor has looked at every descriptor that was ready before this call: a second port's
    /// client, connected after everything else, is accepted only by a wait that also saw the rest.
    /// </summary>
    private static void RunPastEverythingPending(ReactorLoop reactor)
    {
        var sentinelAccepted = false;
        var sentinel = reactor.ListenTcp(0, Factory.ForProtocol(() => { sentinelAccepted = true; return new EchoProtocol(); }), @interface: "127.0.0.1");
        using var client = ConnectBlocking(sentinel);
        reactor.RunUntil(() => sentinelAccepted, "the sentinel port accepts");
        sentinel.StopListening();
    }

    [Test]
    public void APausedPortAcceptsNobodyUntilResumed()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var built = 0;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => { built++; return new EchoProtocol(); }), @interface: "127.0.0.1");
        var producer = (IPushProducer)port;

        producer.PauseProducing();
        var clients = Enumerable.Range(0, 3).Select(_ => ConnectBlocking(port)).ToList();
        RunPastEverythingPending(reactor);
        Assert.That(built, Is.Zero, "nobody accepted while paused");

        producer.ResumeProducing();
        reactor.RunUntil(() => built == 3, "the three waiting clients are accepted");
        foreach (var client in clients) client.Dispose();
        port.StopListening();
    }

    [Test]
    public void PausingFromAProtocolStopsTheAcceptBurstAtOnce()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var built = 0;
        IPushProducer? producer = null;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() =>
        {
            // A one-connection server: the first connection pauses the port before the burst goes on.
            if (++built == 1) producer!.PauseProducing();
            return new EchoProtocol();
        }), @interface: "127.0.0.1");
        producer = (IPushProducer)port;
        var clients = Enumerable.Range(0, 3).Select(_ => ConnectBlocking(port)).ToList();

        reactor.RunUntil(() => built == 1, "the first client is accepted");
        RunPastEverythingPending(reactor);
        Assert.That(built, Is.EqualTo(1), "the burst stopped with the pause");

        producer.ResumeProducing();
        reactor.RunUntil(() => built == 3, "the others are accepted after resuming");
        foreach (var client in clients) client.Dispose();
        port.StopListening();
    }

    [Test]
    public void PauseAndResumeAreIdempotentAndStopProducingStopsListening()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var built = 0;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => { built++; return new EchoProtocol(); }), @interface: "127.0.0.1");
        var producer = (IPushProducer)port;
        var address = NetTesting.PortOf(port);

        producer.PauseProducing();
        producer.PauseProducing();
        producer.ResumeProducing();
        producer.ResumeProducing();
        using (ConnectBlocking(port)) reactor.RunUntil(() => built == 1, "accepted after pause, pause, resume, resume");

        producer.StopProducing();
        Assert.That(port.StopListening().Called, Is.True, "stopped");
        using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => refused.Connect(IPAddress.Loopback, address), Throws.InstanceOf<SocketException>(), "the socket is closed");
        producer.ResumeProducing();
        Assert.That(built, Is.EqualTo(1), "resuming a stopped port does nothing");
    }
}
