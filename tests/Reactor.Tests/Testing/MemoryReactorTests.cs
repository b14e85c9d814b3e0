using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Testing;

namespace Reactor.Tests.Testing;

// Modelled on twisted/internet/test/test_testing.py MemoryReactorTests and twisted/test/test_iosim.py.
public class MemoryReactorTests
{
    private sealed class CountingClientFactory : ClientFactory
    {
        public readonly List<IConnector> Started = [];
        public readonly List<Failure> Failed = [];
        public RecordingProtocol? Built;

        public override IProtocol? BuildProtocol(EndPoint address) => Built = new RecordingProtocol();
        public override void StartedConnecting(IConnector connector) => Started.Add(connector);
        public override void ClientConnectionFailed(IConnector connector, Failure reason) => Failed.Add(reason);
    }

    private sealed class Greeter : RecordingProtocol
    {
        public override void ConnectionMade() => Transport.Write("welcome"u8);
    }

    [Test]
    public void RecordsListenCallsAndStartsTheFactory()
    {
        var reactor = new MemoryReactor();
        var factory = new CountingFactory();
        var port = reactor.ListenTcp(8080, factory, backlog: 50, @interface: "127.0.0.1");
        Assert.That(reactor.TcpServers.Single(), Is.EqualTo(new TcpServerRecord(8080, factory, 50, "127.0.0.1")));
        Assert.That(port.GetHost(), Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 8080)));
        Assert.That(factory.Starts, Is.EqualTo(1));
        Assert.That(port.StopListening().Called, Is.True);
        Assert.That(factory.Stops, Is.EqualTo(1));
        Assert.That(((FakePort)port).Stopped, Is.True);
        Assert.That(reactor.ListenTcp(0, factory).GetHost(), Is.EqualTo(new IPEndPoint(IPAddress.Any, 0)));
    }

    private sealed class CountingFactory : Factory
    {
        public int Starts;
        public int Stops;
        public override IProtocol? BuildProtocol(EndPoint address) => new Greeter();
        public override void StartFactory() => Starts++;
        public override void StopFactory() => Stops++;
    }

    [Test]
    public void RecordsConnectCallsAndTellsTheFactoryTheAttemptStarted()
    {
        var reactor = new MemoryReactor();
        var factory = new CountingClientFactory();
        var connector = reactor.ConnectTcp("example.com", 443, factory, TimeSpan.FromSeconds(5));
        Assert.That(reactor.TcpClients.Single().Host, Is.EqualTo("example.com"));
        Assert.That(reactor.TcpClients.Single().Timeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(factory.Started.Single(), Is.SameAs(connector));
        Assert.That(connector.GetDestination(), Is.EqualTo(new DnsEndPoint("example.com", 443)));
        Assert.That(reactor.ConnectTcp("10.0.0.2", 80, factory).GetDestination(), Is.EqualTo(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 80)));
        connector.StopConnecting();
        Assert.That(((FakeConnector)connector).StoppedConnecting, Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => reactor.ConnectTcp("h", 0, factory));
    }

    [Test]
    public void CompleterConnectsAnAttemptToTheListeningServer()
    {
        var reactor = new MemoryReactor();
        reactor.ListenTcp(7000, new CountingFactory());
        var client = new CountingClientFactory();
        reactor.ConnectTcp("127.0.0.1", 7000, client);
        var completer = new ConnectionCompleter(reactor);
        var pump = completer.SucceedOnce();
        Assert.That(pump, Is.Not.Null);
        Assert.That(client.Built!.ReceivedText, Is.EqualTo("welcome"));
        Assert.That(completer.SucceedOnce(), Is.Null, "no attempt left");
    }

    [Test]
    public void CompleterFailsAnAttemptWithConnectionRefused()
    {
        var reactor = new MemoryReactor();
        var client = new CountingClientFactory();
        reactor.ConnectTcp("127.0.0.1", 7000, client);
        Assert.That(new ConnectionCompleter(reactor).FailOnce(), Is.True);
        Assert.That(client.Failed.Single().Value, Is.TypeOf<ConnectionRefusedError>());
    }

    [Test]
    public void RunFiresStartupTriggersAndStopFiresShutdown()
    {
        var reactor = new MemoryReactor();
        var events = new List<string>();
        reactor.CallWhenRunning(() => events.Add("running"));
        reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => events.Add("before shutdown"));
        reactor.Run();
        Assert.That(reactor.Running && reactor.HasRun, Is.True);
        Assert.Throws<ReactorStateError>(reactor.Run);
        reactor.CallWhenRunning(() => events.Add("now"));
        reactor.Stop();
        Assert.That(events, Is.EqualTo(new[] { "running", "now", "before shutdown" }));
        Assert.That(reactor.HasStopped, Is.True);
        Assert.Throws<ReactorStateError>(reactor.Stop);
    }

    [Test]
    public void DeferredReturningTriggersRunToo()
    {
        var reactor = new MemoryReactor();
        var ran = 0;
        var trigger = reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Startup, () => { ran++; return null; });
        reactor.Run();
        Assert.That(ran, Is.EqualTo(1));
        reactor.RemoveSystemEventTrigger(trigger);
        Assert.That(reactor.Triggers, Is.Empty);
    }

    [Test]
    public void CallsFromThreadsRunOnIterate()
    {
        var reactor = new MemoryReactor();
        var ran = 0;
        reactor.CallFromThread(() => ran++);
        Assert.That(ran, Is.Zero);
        reactor.Iterate(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(1));
    }

    [Test]
    public void MemoryReactorClockRunsTimersWhenAdvanced()
    {
        var reactor = new MemoryReactorClock();
        var fired = false;
        reactor.CallLater(TimeSpan.FromSeconds(2), () => fired = true);
        reactor.Advance(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.False);
        Assert.That(reactor.GetDelayedCalls(), Has.Count.EqualTo(1));
        reactor.Advance(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.True);
        Assert.That(reactor.Now, Is.EqualTo(TimeSpan.FromSeconds(2)));
    }
}
