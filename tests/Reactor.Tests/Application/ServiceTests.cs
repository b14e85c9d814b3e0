using System.Net;
using System.Net.Sockets;
using Reactor.Application;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using Reactor.Errors;
using static Reactor.Tests.Net.Udp.DatagramTestKit;

namespace Reactor.Tests.Application;

/// <summary>Service / MultiService / StreamServerEndpointService (Twisted's application.service and internet tests).</summary>
[TestFixture]
public class ServiceTests
{
    private sealed class Idle : Protocol
    {
    }

    private sealed class Recorded(string name, List<string> log, Deferred<object?>? stopResult = null, Exception? startError = null) : Service
    {
        public override Deferred<object?> StartService()
        {
            base.StartService();
            log.Add("start " + name);
            return startError is null ? Deferred.Succeed<object?>(null) : Deferred.Fail<object?>(startError);
        }

        public override Deferred<object?> StopService()
        {
            base.StopService();
            log.Add("stop " + name);
            return stopResult ?? Deferred.Succeed<object?>(null);
        }

        public override void PrivilegedStartService() => log.Add("privileged " + name);
    }

    private static Recorded Named(string name, List<string> log, Deferred<object?>? stop = null, Exception? startError = null)
    {
        var service = new Recorded(name, log, stop, startError);
        service.SetName(name);
        return service;
    }

    [Test]
    public void AServiceIsRunningBetweenStartAndStop()
    {
        var service = new Service();
        Assert.That(service.Running, Is.False);
        Assert.That(service.StartService().Called, Is.True);
        Assert.That(service.Running, Is.True);
        service.StopService();
        Assert.That(service.Running, Is.False);
    }

    [Test]
    public void ChildrenStartInOrderAndStopInReverse()
    {
        var log = new List<string>();
        var app = new MultiService();
        Named("a", log).SetServiceParent(app);
        Named("b", log).SetServiceParent(app);
        new Recorded("unnamed", log).SetServiceParent(app);

        app.PrivilegedStartService();
        Assert.That(app.StartService().Called, Is.True);
        Assert.That(app.StopService().Called, Is.True);
        Assert.That(log, Is.EqualTo(new[]
        {
            "privileged a", "privileged b", "privileged unnamed",
            "start a", "start b", "start unnamed",
            "stop unnamed", "stop b", "stop a",
        }));
        Assert.That(app.All(s => !s.Running), Is.True);
    }

    [Test]
    public void NamedChildrenAreFoundAndNamesAreUnique()
    {
        var log = new List<string>();
        var app = new MultiService();
        var a = Named("a", log);
        a.SetServiceParent(app);
        Assert.That(app.GetServiceNamed("a"), Is.SameAs(a));
        Assert.That(a.Parent, Is.SameAs(app));
        Assert.That(() => app.GetServiceNamed("b"), Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("'b'"));
        Assert.That(() => Named("a", log).SetServiceParent(app), Throws.ArgumentException.With.Message.Contains("already has a service named 'a'"));
        Assert.That(() => a.SetName("renamed"), Throws.InvalidOperationException, "a child's name is how its parent finds it");
        Assert.That(app.Count, Is.EqualTo(1));
    }

    [Test]
    public void StoppingWaitsForEveryChildsDeferred()
    {
        var log = new List<string>();
        var slow = new Deferred<object?>();
        var app = new MultiService();
        Named("slow", log, slow).SetServiceParent(app);
        Named("fast", log).SetServiceParent(app);
        app.StartService();

        var stopped = app.StopService();
        Assert.That(stopped.Called, Is.False, "the slow child has not finished stopping");
        slow.Callback(null);
        Assert.That(stopped.Called, Is.True);
    }

    [Test]
    public void AChildThatFailsToStartFailsTheParentsStartWithItsOwnException()
    {
        var log = new List<string>();
        var app = new MultiService();
        Named("ok", log).SetServiceParent(app);
        Named("broken", log, startError: new CannotListenError("tcp:1", new SocketException())).SetServiceParent(app);

        Exception? error = null;
        app.StartService().AddErrback(f => { error = f.Value; });
        Assert.That(error, Is.InstanceOf<CannotListenError>());
        Assert.That(log, Does.Contain("start ok"), "the other children still start");
    }

    [Test]
    public void AChildAddedToARunningParentStartsAndARemovedOneStops()
    {
        var log = new List<string>();
        var app = new MultiService();
        app.StartService();
        var late = Named("late", log);
        late.SetServiceParent(app);
        Assert.That(late.Running, Is.True);
        Assert.That(log, Is.EqualTo(new[] { "privileged late", "start late" }));

        Assert.That(late.DisownServiceParent().Called, Is.True);
        Assert.That(late.Running, Is.False);
        Assert.That(late.Parent, Is.Null);
        Assert.That(app.Count, Is.Zero);
        Assert.That(() => app.GetServiceNamed("late"), Throws.InstanceOf<KeyNotFoundException>());
    }

    [Test]
    public void MovingAServiceLeavesItsOldParent()
    {
        var log = new List<string>();
        var first = new MultiService();
        var second = new MultiService();
        var child = Named("c", log);
        child.SetServiceParent(first);
        child.SetServiceParent(second);
        Assert.That(first.Count, Is.Zero);
        Assert.That(second.GetServiceNamed("c"), Is.SameAs(child));
    }

    [Test]
    public void AStreamServerEndpointServiceListensWhileRunning()
    {
        using var reactor = CreateReactor(out _);
        var service = new StreamServerEndpointService(EndpointStrings.ServerFromString(reactor, "tcp:0:interface=127.0.0.1"),
            Factory.ForProtocol(() => new Idle()));
        var app = new MultiService();
        service.SetServiceParent(app);

        Wait(reactor, app.StartService(), "the service listens");
        Assert.That(service.Port, Is.Not.Null);
        var address = (IPEndPoint)service.Port!.GetHost();
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            Assert.That(() => client.Connect(address), Throws.Nothing);
        }

        Wait(reactor, app.StopService(), "the service stops");
        Assert.That(service.Port, Is.Null);
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => late.Connect(address), Throws.InstanceOf<SocketException>(), "nothing listens after the stop");
    }

    [Test]
    public void AStreamServerEndpointServiceThatCannotListenFailsItsStart()
    {
        using var reactor = CreateReactor(out _);
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var service = new StreamServerEndpointService(EndpointStrings.ServerFromString(reactor, $"tcp:{port}:interface=127.0.0.1"),
            Factory.ForProtocol(() => new Idle()));

        Assert.That(() => Wait(reactor, service.StartService(), "the listen fails"), Throws.InstanceOf<CannotListenError>());
        Assert.That(service.Port, Is.Null);
    }
}
