using Reactor.Core;
using Reactor.Defer;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Defer;

/// <summary>Deferred features that the issue ties to a running reactor: await resuming on its thread, Cooperator yielding to it.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ReactorLoopDeferTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    // Issue 3 §7: an async method started on the reactor thread, awaiting a Deferred that another thread
    // fires through CallFromThread (the only legal way to fire it from elsewhere), resumes on the reactor thread.
    [Test]
    public void AwaitOnTheReactorThreadResumesOnTheReactorThread()
    {
        int reactorThread = Environment.CurrentManagedThreadId;
        int startedOn = -1, resumedOn = -1, result = 0;
        var d = new Deferred<int>();
        _reactor.CallWhenRunning(() =>
        {
            Deferred.EnsureDeferred(async () =>
            {
                startedOn = Environment.CurrentManagedThreadId;
                int value = await d;
                resumedOn = Environment.CurrentManagedThreadId;
                return value;
            }).AddCallback(v => { result = v; _reactor.Stop(); });
            Task.Run(() => _reactor.CallFromThread(() => d.Callback(42)));
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False, "the async method never finished");
        Assert.That(startedOn, Is.EqualTo(reactorThread));
        Assert.That(resumedOn, Is.EqualTo(reactorThread));
        Assert.That(result, Is.EqualTo(42));
    }

    // Issue 3 §8: the Cooperator runs a slice and
    // then lets the reactor run other work (a call from another thread here) before the next slice.
    [Test]
    public void CooperatorYieldsToTheLoopBetweenSlices()
    {
        const int bound = 10_000_000;
        var cooperator = new Cooperator(_reactor, () => { int n = 0; return () => ++n >= 100; });
        bool otherWorkRan = false;
        int units = 0;

        IEnumerable<Deferred?> Work()
        {
            // Without yielding to the loop, otherWorkRan could never become true and the bound would end the loop.
            while (!otherWorkRan && units < bound)
            {
                units++;
                yield return null;
            }
        }

        _reactor.CallWhenRunning(() =>
        {
            cooperator.Coiterate(Work()).AddBoth(() => _reactor.Stop());
            Task.Run(() => _reactor.CallFromThread(() => otherWorkRan = true));
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False, "the cooperative task never finished");
        Assert.That(otherWorkRan, Is.True);
        Assert.That(units, Is.LessThan(bound));
    }

    // Issue 3 §8: a timed call due while a long cooperative iteration runs is not starved by it.
    [Test]
    public void CooperatorLetsTimedCallsRun()
    {
        var cooperator = new Cooperator(_reactor, () => { int n = 0; return () => ++n >= 10; });
        int timerFiredAtUnit = -1;
        int units = 0;

        IEnumerable<Deferred?> Work()
        {
            while (timerFiredAtUnit < 0 && units < 10_000_000)
            {
                units++;
                yield return null;
            }
        }

        _reactor.CallWhenRunning(() =>
        {
            _reactor.CallLater(TimeSpan.Zero, () => timerFiredAtUnit = units);
            cooperator.Coiterate(Work()).AddBoth(() => _reactor.Stop());
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False, "the cooperative task never finished");
        Assert.That(timerFiredAtUnit, Is.GreaterThanOrEqualTo(0));
        Assert.That(units, Is.LessThan(10_000_000));
    }

    // Issue 3 §7: the reactor thread has a SynchronizationContext, so an await there resumes there even when
    // the Deferred is fired on another thread, and so does an await of a Task inside EnsureDeferred.
    [Test]
    public void AwaitResumesOnTheReactorThreadWhenTheDeferredFiresElsewhereOrATaskIsAwaited()
    {
        int reactorThread = Environment.CurrentManagedThreadId;
        int afterDeferred = -1, afterTask = -1, taskRanOn = -1;
        var d = new Deferred<int>();
        _reactor.CallWhenRunning(() =>
        {
            Deferred.EnsureDeferred(async () =>
            {
                int value = await d;
                afterDeferred = Environment.CurrentManagedThreadId;
                value += await Task.Run(() => { taskRanOn = Environment.CurrentManagedThreadId; return 1; });
                afterTask = Environment.CurrentManagedThreadId;
                return value;
            }).AddBoth(() => _reactor.Stop());
            Task.Run(() => d.Callback(41));
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False, "the async method never finished");
        Assert.That(afterDeferred, Is.EqualTo(reactorThread));
        Assert.That(taskRanOn, Is.Not.EqualTo(reactorThread));
        Assert.That(afterTask, Is.EqualTo(reactorThread));
    }

    // Issue 3 §7: cancelling the Deferred of an async method running on the reactor cancels the Deferred it
    // awaits; the method sees CancelledError at its await, on the reactor thread.
    [Test]
    public void CancellingAnEnsureDeferredOnTheReactorCancelsTheAwaitedDeferred()
    {
        int reactorThread = Environment.CurrentManagedThreadId;
        bool innerCancelled = false;
        int caughtOn = -1;
        Failure? outcome = null;
        var inner = new Deferred<int>(_ => innerCancelled = true);
        _reactor.CallWhenRunning(() =>
        {
            var outer = Deferred.EnsureDeferred(async () =>
            {
                try
                {
                    return await inner;
                }
                catch (CancelledError)
                {
                    caughtOn = Environment.CurrentManagedThreadId;
                    throw;
                }
            });
            outer.AddErrback(f => { outcome = f; }).AddBoth(() => _reactor.Stop());
            _reactor.CallLater(TimeSpan.Zero, outer.Cancel);
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False, "the async method never finished");
        Assert.That(innerCancelled, Is.True);
        Assert.That(caughtOn, Is.EqualTo(reactorThread));
        Assert.That(outcome?.Value, Is.TypeOf<CancelledError>());
    }
}
