using Reactor.Core;
using Reactor.Defer;

namespace Reactor.Tests.Core;

/// <summary>React (Twisted's task.react; twisted.test.test_task.ReactTests).</summary>
public class ReactTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(1);

    // twisted: test_task.ReactTests.test_runsUntilAsyncCallback
    [Test]
    public void RunsUntilAnAsynchronousResultThenExitsWithZero()
    {
        using var reactor = ReactorLoop.Create();
        bool afterResult = false;
        int code = reactor.React(() =>
        {
            var finished = new Deferred<string>();
            reactor.CallLater(Short, () => finished.Callback("done"));
            return finished.AddCallback(r => { afterResult = true; return r; });
        });
        Assert.That(code, Is.Zero);
        Assert.That(afterResult, Is.True);
        Assert.That(reactor.Running, Is.False);
    }

    // twisted: test_task.ReactTests.test_runsUntilSyncCallback
    [Test]
    public void ASynchronousResultStopsTheReactorOnceItRuns()
    {
        using var reactor = ReactorLoop.Create();
        bool ranLoop = false;
        int code = reactor.React(() => { reactor.CallWhenRunning(() => ranLoop = true); return Deferred.Succeed<object?>(null); });
        Assert.That(code, Is.Zero);
        Assert.That(ranLoop, Is.True);
    }

    // twisted: test_task.ReactTests.test_runsUntilAsyncErrback / test_runsUntilSyncErrback
    [Test]
    public void AFailureIsLoggedAndExitsWithOne()
    {
        var logger = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = logger });
        int code = reactor.React(() =>
        {
            var finished = new Deferred<object?>();
            reactor.CallLater(Short, () => finished.Errback(new InvalidOperationException("broken")));
            return finished;
        });
        Assert.That(code, Is.EqualTo(1));
        Assert.That(logger.Errors.Any(e => e.Message.Contains("main function encountered error") && e.Exception?.Message == "broken"));

        using var again = ReactorLoop.Create(new ReactorOptions { Logger = logger });
        Assert.That(again.React(() => Deferred.Fail<object?>(new InvalidOperationException("sync"))), Is.EqualTo(1));
    }

    // twisted: test_task.ReactTests.test_exitWithDefinedCode / test_synchronousStop
    [Test]
    public void ExitCodeExceptionAndAnIntResultChooseTheCode()
    {
        using (var reactor = ReactorLoop.Create())
        {
            Assert.That(reactor.React(() => Deferred.Fail<object?>(new ExitCodeException(23))), Is.EqualTo(23));
        }
        using (var reactor = ReactorLoop.Create())
        {
            Assert.That(reactor.React(() => Deferred.Succeed(7)), Is.EqualTo(7));
        }
        using (var reactor = ReactorLoop.Create())
        {
            Assert.That(reactor.React(async () => { await Task.Yield(); return 5; }), Is.EqualTo(5));
        }
    }

    // twisted: test_task.ReactTests.test_singleStopCallback / test_singleStopErrback
    [Test]
    public void AResultArrivingDuringShutdownDoesNotStopTwice()
    {
        using var reactor = ReactorLoop.Create();
        var logger = new CapturingLogger();
        int code = reactor.React(() =>
        {
            reactor.CallLater(Short, reactor.Stop);
            var finished = new Deferred<object?>();
            reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => finished.Callback(null));
            return finished;
        });
        Assert.That(code, Is.Zero);

        using var second = ReactorLoop.Create(new ReactorOptions { Logger = logger });
        code = second.React(() =>
        {
            second.CallLater(Short, second.Stop);
            var finished = new Deferred<object?>();
            second.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => finished.Errback(new InvalidOperationException("late")));
            return finished;
        });
        Assert.That(code, Is.EqualTo(1));
        Assert.That(logger.Errors.Any(e => e.Message.Contains("main function encountered error")));
    }
}
