using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Core;

/// <summary>A "before shutdown" trigger that returns a Deferred delays shutdown until it fires (Twisted's _ThreePhaseEvent).</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ShutdownDeferredTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private CapturingLogger _log = null!;

    [SetUp]
    public void SetUp()
    {
        _log = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _log });
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    // Twisted: test_internet.py SystemEventTestCase.test_beforePhaseWithDeferred (shutdown waits for the Deferred).
    [Test]
    public void DuringAndAfterShutdownWaitForTheBeforeDeferredWhileTheLoopKeepsRunning()
    {
        var events = new List<string>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () =>
        {
            events.Add("before");
            var d = new Deferred<object?>();
            // The loop must keep running timed calls while shutdown waits.
            _reactor.CallLater(TimeSpan.FromMilliseconds(10), () => { events.Add("timer while waiting"); d.Callback(null); });
            return d;
        });
        _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => events.Add("during"));
        _reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Shutdown, () => events.Add("after"));
        _reactor.CallWhenRunning(_reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(events, Is.EqualTo(new[] { "before", "timer while waiting", "during", "after" }));
    }

    [Test]
    public void ShutdownWaitsForEveryBeforeDeferred()
    {
        var events = new List<string>();
        var first = new Deferred<object?>();
        var second = new Deferred<object?>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => first);
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => second);
        _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => events.Add("during"));
        _reactor.CallWhenRunning(() =>
        {
            _reactor.Stop();
            _reactor.CallLater(TimeSpan.FromMilliseconds(5), () => { events.Add("second fired"); second.Callback(null); });
            _reactor.CallLater(TimeSpan.FromMilliseconds(20), () => { events.Add("first fired"); first.Callback(null); });
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(events, Is.EqualTo(new[] { "second fired", "first fired", "during" }));
    }

    [Test]
    public void FailedBeforeDeferredIsLoggedAndShutdownGoesOn()
    {
        var events = new List<string>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown,
            () => Deferred.Fail<object?>(new InvalidOperationException("goodbye failed")));
        _reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Shutdown, () => events.Add("after"));
        _reactor.CallWhenRunning(_reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(events, Is.EqualTo(new[] { "after" }));
        Assert.That(_log.Errors.Single().Exception!.Message, Is.EqualTo("goodbye failed"));
    }

    [Test]
    public void NullOrAlreadyFiredDeferredDoesNotDelay()
    {
        var events = new List<string>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => (Deferred<object?>?)null);
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => Deferred.Succeed<object?>(null));
        _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => events.Add("during"));
        _reactor.FireSystemEvent(SystemEvent.Shutdown);
        Assert.That(events, Is.EqualTo(new[] { "during" }));
    }

    [Test]
    public void StopWhileShutdownIsWaitingRaises()
    {
        Exception? second = null;
        var gate = new Deferred<object?>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () =>
        {
            _reactor.CallLater(TimeSpan.Zero, () =>
            {
                try { _reactor.Stop(); } catch (Exception ex) { second = ex; }
                gate.Callback(null);
            });
            return gate;
        });
        _reactor.CallWhenRunning(_reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(second, Is.InstanceOf<ReactorStateError>());
    }

    [Test]
    public void NullDeferredTriggerIsRejected()
    {
        Assert.That(() => _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, (Func<Deferred<object?>?>)null!),
            Throws.ArgumentNullException.With.Property("ParamName").EqualTo("trigger"));
    }
}
