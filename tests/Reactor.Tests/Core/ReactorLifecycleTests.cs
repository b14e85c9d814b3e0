using Reactor.Core;
using Reactor.Errors;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Core;

/// <summary>Run / Stop / Crash / Iterate and system event triggers; cases from Twisted's internet/test/test_core.py.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ReactorLifecycleTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void RunReturnsAfterStopAndRunningFollowsIt()
    {
        bool runningInside = false;
        _reactor.CallWhenRunning(() => { runningInside = _reactor.Running; _reactor.Stop(); });
        Assert.That(_reactor.Running, Is.False);
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(runningInside, Is.True);
        Assert.That(_reactor.Running, Is.False);
    }

    // Twisted: test_core.py SystemEventTestsBuilder.test_runningForStartupEvents
    [Test]
    public void RunningIsFalseBeforeStartupAndTrueDuringAndAfter()
    {
        var state = new Dictionary<TriggerPhase, bool>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Startup, () => state[TriggerPhase.Before] = _reactor.Running);
        _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Startup, () => state[TriggerPhase.During] = _reactor.Running);
        _reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Startup, () => state[TriggerPhase.After] = _reactor.Running);
        _reactor.CallWhenRunning(_reactor.Stop);
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(state, Is.EqualTo(new Dictionary<TriggerPhase, bool>
        {
            [TriggerPhase.Before] = false,
            [TriggerPhase.During] = true,
            [TriggerPhase.After] = true,
        }));
    }

    // Twisted: test_core.py SystemEventTestsBuilder.test_callWhenRunningOrder
    [Test]
    public void CallWhenRunningCallsRunInOrderRegistered()
    {
        var order = new List<int>();
        _reactor.CallWhenRunning(() => order.Add(1));
        _reactor.CallWhenRunning(() => order.Add(2));
        _reactor.CallWhenRunning(_reactor.Stop);
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(order, Is.EqualTo(new[] { 1, 2 }));
    }

    // Twisted: base.py callWhenRunning: when already running the call is made synchronously.
    [Test]
    public void CallWhenRunningWhileRunningCallsAtOnce()
    {
        bool ranInline = false;
        bool handleWasNull = false;
        _reactor.CallWhenRunning(() =>
        {
            bool flag = false;
            handleWasNull = _reactor.CallWhenRunning(() => flag = true) is null;
            ranInline = flag;
            _reactor.Stop();
        });
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(ranInline, Is.True);
        Assert.That(handleWasNull, Is.True);
    }

    // Twisted: test_core.py SystemEventTestsBuilder.test_shutdownFiresTriggersAsynchronously
    [Test]
    public void StopFiresShutdownTriggersAfterTheCurrentCallReturns()
    {
        var events = new List<string>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => events.Add("before"));
        _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => events.Add("during"));
        _reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Shutdown, () => events.Add("after"));
        _reactor.CallWhenRunning(() =>
        {
            _reactor.Stop();
            events.Add("after stop");
        });
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(events, Is.EqualTo(new[] { "after stop", "before", "during", "after" }));
    }

    [Test]
    public void RunningIsTrueInBeforeShutdownAndFalseAfter()
    {
        var state = new List<bool>();
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => state.Add(_reactor.Running));
        _reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Shutdown, () => state.Add(_reactor.Running));
        _reactor.CallWhenRunning(_reactor.Stop);
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(state, Is.EqualTo(new[] { true, false }));
    }

    // Twisted: test_core.py test_stopWhenNotStarted / test_stopWhenAlreadyStopped
    [Test]
    public void StopWhenNotRunningOrAlreadyStoppingRaises()
    {
        Assert.Throws<ReactorStateError>(_reactor.Stop);
        Exception? second = null;
        _reactor.CallWhenRunning(() =>
        {
            _reactor.Stop();
            try { _reactor.Stop(); } catch (Exception ex) { second = ex; }
        });
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(second, Is.InstanceOf<ReactorStateError>());
    }

    [Test]
    public void RunInsideRunRaises()
    {
        Exception? seen = null;
        _reactor.CallWhenRunning(() =>
        {
            try { _reactor.Run(); } catch (Exception ex) { seen = ex; }
            _reactor.Stop();
        });
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(seen, Is.InstanceOf<ReactorStateError>());
    }

    // Twisted: test_core.py test_crash — no shutdown triggers; test_runAfterCrash — run again.
    [Test]
    public void CrashLeavesWithoutShutdownTriggersAndRunWorksAgain()
    {
        bool shutdownRan = false;
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => shutdownRan = true);
        _reactor.CallWhenRunning(_reactor.Crash);
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(shutdownRan, Is.False);
        Assert.That(_reactor.Running, Is.False);

        bool ranAgain = false;
        _reactor.CallWhenRunning(() => { ranAgain = true; _reactor.Stop(); });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(ranAgain, Is.True);
        Assert.That(shutdownRan, Is.True);
    }

    [Test]
    public void ReactorCanBeRunAgainAfterStop()
    {
        for (int round = 0; round < 3; round++)
        {
            bool ran = false;
            _reactor.CallWhenRunning(() => { ran = true; _reactor.Stop(); });
            Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
            Assert.That(ran, Is.True, $"round {round}");
        }
    }

    // Twisted: test_internet.py SystemEventTestCase.test_removeSystemEventTrigger
    [Test]
    public void RemovedTriggerDoesNotRunAndRemovingTwiceRaises()
    {
        bool ran = false;
        var trigger = _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Startup, () => ran = true);
        Assert.That(trigger.Phase, Is.EqualTo(TriggerPhase.During));
        Assert.That(trigger.Event, Is.EqualTo(SystemEvent.Startup));
        _reactor.RemoveSystemEventTrigger(trigger);
        Assert.That(() => _reactor.RemoveSystemEventTrigger(trigger), Throws.ArgumentException.With.Property("ParamName").EqualTo("trigger"));
        _reactor.CallWhenRunning(_reactor.Stop);
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(ran, Is.False);
    }

    // Twisted: test_internet.py SystemEventTestCase — triggers are consumed by a firing; exceptions are logged.
    [Test]
    public void FireSystemEventRunsPhasesInOrderOnceAndLogsFailures()
    {
        var log = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = log });
        var order = new List<string>();
        reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Startup, () => order.Add("after"));
        reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Startup, () => throw new InvalidOperationException("trigger boom"));
        reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Startup, () => order.Add("during"));
        reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Startup, () =>
        {
            order.Add("before");
            // Added during the firing to a phase not yet run: runs in this firing.
            reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Startup, () => order.Add("late after"));
        });
        reactor.FireSystemEvent(SystemEvent.Startup);
        Assert.That(order, Is.EqualTo(new[] { "before", "during", "after", "late after" }));
        Assert.That(log.Errors.Single().Exception!.Message, Is.EqualTo("trigger boom"));
        order.Clear();
        reactor.FireSystemEvent(SystemEvent.Startup);
        Assert.That(order, Is.Empty);
    }

    [Test]
    public void BadTriggerArgumentsAreRejected()
    {
        Assert.That(() => _reactor.AddSystemEventTrigger((TriggerPhase)7, SystemEvent.Startup, () => { }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("phase"));
        Assert.That(() => _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Startup, null!),
            Throws.ArgumentNullException);
        Assert.That(() => _reactor.CallWhenRunning(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("action"));
    }

    [Test]
    public void IterateRunsOnePassAndRejectsBadInput()
    {
        bool ran = false;
        _reactor.CallLater(TimeSpan.Zero, () => ran = true);
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(ran, Is.True);
        Assert.That(() => _reactor.Iterate(TimeSpan.FromSeconds(-1)),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("timeout"));
        Exception? nested = null;
        _reactor.CallLater(TimeSpan.Zero, () => { try { _reactor.Iterate(TimeSpan.Zero); } catch (Exception ex) { nested = ex; } });
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(nested, Is.InstanceOf<ReactorStateError>());
    }

    [Test]
    public void ExceptionInUserCodeIsLoggedWithStackAndTheLoopGoesOn()
    {
        var log = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = log });
        var after = new List<string>();
        reactor.CallWhenRunning(() => throw new InvalidOperationException("startup boom"));
        reactor.CallLater(TimeSpan.Zero, () => throw new InvalidOperationException("timer boom"));
        reactor.CallFromThread(() => throw new InvalidOperationException("thread boom"));
        reactor.CallLater(TimeSpan.FromMilliseconds(1), () => { after.Add("timer"); reactor.Stop(); });
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(after, Is.EqualTo(new[] { "timer" }));
        var messages = log.Errors.Select(e => e.Exception!.Message).ToList();
        Assert.That(messages, Is.EquivalentTo(new[] { "startup boom", "timer boom", "thread boom" }));
        Assert.That(log.Errors.All(e => e.Exception!.StackTrace is not null), Is.True);
    }

    [Test]
    public void RunUserCodeHelperLogsAndReportsFailure()
    {
        var log = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = log });
        Assert.That(reactor.RunUserCode(() => { }, "a test"), Is.True);
        Assert.That(reactor.RunUserCode(static (string s) => throw new FormatException(s), "bad", "a test"), Is.False);
        Assert.That(log.Errors.Single().Message, Does.Contain("a test"));
        Assert.That(log.Errors.Single().Exception, Is.InstanceOf<FormatException>());
    }

    [Test]
    public void OptionsAreValidatedAndApplied()
    {
        Assert.That(() => ReactorLoop.Create(new ReactorOptions { ReadBufferSize = 0 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("options"));
        using var reactor = ReactorLoop.Create(new ReactorOptions { ReadBufferSize = 4096 });
        Assert.That(reactor.ReadBuffer, Has.Length.EqualTo(4096));
        Assert.That(_reactor.ReadBuffer, Has.Length.EqualTo(ReactorOptions.DefaultReadBufferSize));
        Assert.That(_reactor.Logger, Is.Not.Null);
    }

    [Test]
    public void DisposeWhileRunningIsRefusedAndDisposeTwiceIsHarmless()
    {
        Exception? seen = null;
        _reactor.CallWhenRunning(() =>
        {
            try { _reactor.Dispose(); } catch (Exception ex) { seen = ex; }
            _reactor.Stop();
        });
        LoopTestKit.RunWithGuard(_reactor);
        Assert.That(seen, Is.InstanceOf<ReactorStateError>());
        _reactor.Dispose();
        _reactor.Dispose();
        Assert.Throws<ObjectDisposedException>(_reactor.Run);
    }

    [Test]
    public void SeveralReactorsRunAtOnceOnTheirOwnThreads()
    {
        const int count = 4;
        var reactors = Enumerable.Range(0, count).Select(_ => ReactorLoop.Create()).ToArray();
        var ticks = new int[count];
        var threads = new Thread[count];
        var guardFired = new bool[count];
        for (int i = 0; i < count; i++)
        {
            int n = i;
            var r = reactors[n];
            // Each reactor counts 20 zero-delay ticks, then stops.
            void Tick()
            {
                if (++ticks[n] == 20) r.Stop();
                else r.CallLater(TimeSpan.Zero, Tick);
            }
            r.CallWhenRunning(Tick);
            threads[n] = new Thread(() => guardFired[n] = LoopTestKit.RunWithGuard(r));
            threads[n].Start();
        }
        foreach (var t in threads) Assert.That(t.Join(LoopTestKit.Deadline + TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(ticks, Is.All.EqualTo(20));
        Assert.That(guardFired, Is.All.False);
        foreach (var r in reactors) r.Dispose();
    }

    [Test]
    public void DisposeReleasesTheReactorsDescriptors()
    {
        // Warm up whatever the runtime opens lazily on first use of the native layer.
        ReactorLoop.Create().Dispose();
        int before = LoopTestKit.OpenDescriptorCount();
        var reactors = Enumerable.Range(0, 5).Select(_ => ReactorLoop.Create()).ToList();
        Assert.That(LoopTestKit.OpenDescriptorCount(), Is.GreaterThan(before));
        foreach (var r in reactors) r.Dispose();
        Assert.That(LoopTestKit.OpenDescriptorCount(), Is.EqualTo(before));
    }
}

/// <summary>ReactorOptions.InstallSignalHandlers: SIGINT stops the reactor gracefully (Twisted's run() installs the same).</summary>
public class ReactorSignalTests
{
    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SIGINT = 2;

    [Test]
    public void SigintStopsARunningReactorWithShutdownTriggers()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("POSIX signals only");
        using var reactor = ReactorLoop.Create(new ReactorOptions { InstallSignalHandlers = true });
        bool shutdownRan = false;
        reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => shutdownRan = true);
        reactor.CallWhenRunning(() => Assert.That(kill(Environment.ProcessId, SIGINT), Is.Zero));
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False, "SIGINT did not stop the reactor");
        Assert.That(shutdownRan, Is.True);
    }
}
