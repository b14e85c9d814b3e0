using Reactor.Core;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Tests.Core;

/// <summary>The deterministic Clock; cases ported from Twisted's test_task.py ClockTestCase.</summary>
public class ClockTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    // Twisted: test_task.py ClockTestCase.testSeconds
    [Test]
    public void StartsAtZeroAndAdvances()
    {
        var c = new Clock();
        Assert.That(c.Now, Is.EqualTo(TimeSpan.Zero));
        c.Advance(S(1.5));
        Assert.That(c.Now, Is.EqualTo(S(1.5)));
        Assert.That(((IReactorTime)c).Seconds(), Is.EqualTo(1.5));
    }

    // Twisted: test_task.py ClockTestCase.testCallLater
    [Test]
    public void CallLaterReturnsActiveCallWithItsTime()
    {
        var c = new Clock();
        var call = c.CallLater(S(1), () => { });
        Assert.That(call, Is.InstanceOf<IDelayedCall>());
        Assert.That(call.GetTime(), Is.EqualTo(S(1)));
        Assert.That(call.Active, Is.True);
    }

    // Twisted: test_task.py ClockTestCase.testCallLaterCancelled
    [Test]
    public void CancelledCallIsInactiveAndDoesNotRun()
    {
        var c = new Clock();
        bool ran = false;
        var call = c.CallLater(S(1), () => ran = true);
        call.Cancel();
        Assert.That(call.Active, Is.False);
        c.Advance(S(2));
        Assert.That(ran, Is.False);
    }

    // Twisted: test_task.py ClockTestCase.testCallLaterOrdering
    [Test]
    public void CallsRunInDueOrder()
    {
        var c = new Clock();
        var order = new List<int>();
        c.CallLater(S(10), () => order.Add(10));
        c.CallLater(S(1), () => order.Add(1));
        c.CallLater(S(5), () => order.Add(5));
        c.Advance(S(20));
        Assert.That(order, Is.EqualTo(new[] { 1, 5, 10 }));
    }

    // Twisted: test_task.py ClockTestCase.testAdvance
    [Test]
    public void AdvanceRunsOnlyDueCalls()
    {
        var c = new Clock();
        var events = new List<string>();
        var call = c.CallLater(S(2), () => events.Add("ran"));
        c.Advance(S(1));
        Assert.That(events, Is.Empty);
        Assert.That(call.Active, Is.True);
        c.Advance(S(1));
        Assert.That(events, Is.EqualTo(new[] { "ran" }));
        Assert.That(call.Active, Is.False);
    }

    // Twisted: test_task.py ClockTestCase.testAdvanceCancel
    [Test]
    public void CancellingACalledCallRaisesAlreadyCalled()
    {
        var c = new Clock();
        var call = c.CallLater(S(1), () => { });
        c.Advance(S(2));
        Assert.Throws<AlreadyCalled>(call.Cancel);
        Assert.Throws<AlreadyCalled>(() => call.Reset(S(1)));
        Assert.Throws<AlreadyCalled>(() => call.Delay(S(1)));
    }

    // Twisted: test_internet.py test_cancelCancelledDelayedCall
    [Test]
    public void CancellingACancelledCallRaisesAlreadyCancelled()
    {
        var c = new Clock();
        var call = c.CallLater(S(1), () => { });
        call.Cancel();
        Assert.Throws<AlreadyCancelled>(call.Cancel);
        Assert.Throws<AlreadyCancelled>(() => call.Reset(S(1)));
        Assert.Throws<AlreadyCancelled>(() => call.Delay(S(1)));
    }

    // Twisted: test_internet.py test_cancelCalledDelayedCallSynchronous — "called" is set before the call runs.
    [Test]
    public void CancellingItselfFromInsideRaisesAlreadyCalled()
    {
        var c = new Clock();
        IDelayedCall? call = null;
        Exception? seen = null;
        call = c.CallLater(S(1), () =>
        {
            try { call!.Cancel(); } catch (Exception ex) { seen = ex; }
        });
        c.Advance(S(1));
        Assert.That(seen, Is.InstanceOf<AlreadyCalled>());
    }

    // Twisted: test_task.py ClockTestCase.testCallLaterDelayed
    [Test]
    public void DelayPostponesFromTheScheduledTime()
    {
        var c = new Clock();
        var events = new List<string>();
        var call = c.CallLater(S(1), () => events.Add("ran"));
        call.Delay(S(1));
        Assert.That(call.GetTime(), Is.EqualTo(S(2)));
        c.Advance(S(1.5));
        Assert.That(events, Is.Empty);
        c.Advance(S(1));
        Assert.That(events, Is.EqualTo(new[] { "ran" }));
    }

    // Twisted: test_task.py ClockTestCase.testCallLaterResetLater
    [Test]
    public void ResetLaterMovesTheCallFromNow()
    {
        var c = new Clock();
        var events = new List<string>();
        var call = c.CallLater(S(2), () => events.Add("ran"));
        c.Advance(S(1));
        call.Reset(S(3));
        Assert.That(call.GetTime(), Is.EqualTo(S(4)));
        c.Advance(S(2));
        Assert.That(events, Is.Empty);
        c.Advance(S(1));
        Assert.That(events, Is.EqualTo(new[] { "ran" }));
    }

    // Twisted: test_task.py ClockTestCase.testCallLaterResetSooner
    [Test]
    public void ResetSoonerMovesTheCallUp()
    {
        var c = new Clock();
        var events = new List<string>();
        var call = c.CallLater(S(4), () => events.Add("ran"));
        call.Reset(S(3));
        Assert.That(call.GetTime(), Is.EqualTo(S(3)));
        c.Advance(S(3));
        Assert.That(events, Is.EqualTo(new[] { "ran" }));
    }

    // Twisted: test_task.py ClockTestCase.test_getDelayedCalls / test_getDelayedCallsEmpty
    [Test]
    public void GetDelayedCallsListsOnlyActiveCalls()
    {
        var c = new Clock();
        Assert.That(c.GetDelayedCalls(), Is.Empty);
        var a = c.CallLater(S(1), () => { });
        var b = c.CallLater(S(2), () => { });
        var d = c.CallLater(S(3), () => { });
        d.Cancel();
        Assert.That(c.GetDelayedCalls(), Is.EquivalentTo(new[] { a, b }));
        c.Advance(S(1));
        Assert.That(c.GetDelayedCalls(), Is.EquivalentTo(new[] { b }));
    }

    // Twisted: test_task.py ClockTestCase.test_callLaterKeepsCallsOrdered (FIFO for equal deadlines)
    [Test]
    public void CallsDueAtTheSameTimeRunInSchedulingOrder()
    {
        var c = new Clock();
        var order = new List<int>();
        for (int i = 0; i < 100; i++)
        {
            int n = i;
            c.CallLater(S(1), () => order.Add(n));
        }
        c.Advance(S(1));
        Assert.That(order, Is.EqualTo(Enumerable.Range(0, 100)));
    }

    // Twisted: test_task.py ClockTestCase.test_callLaterResetKeepsCallsOrdered
    [Test]
    public void ResetCallGoesAfterCallsAlreadyDueAtThatTime()
    {
        var c = new Clock();
        var order = new List<string>();
        var first = c.CallLater(S(1), () => order.Add("first"));
        c.CallLater(S(2), () => order.Add("second"));
        first.Reset(S(2));
        c.Advance(S(2));
        Assert.That(order, Is.EqualTo(new[] { "second", "first" }));
    }

    [Test]
    public void CallCancelledByAnEarlierCallInTheSamePassDoesNotRun()
    {
        var c = new Clock();
        var order = new List<string>();
        IDelayedCall? victim = null;
        c.CallLater(S(1), () => { order.Add("canceller"); victim!.Cancel(); });
        victim = c.CallLater(S(1), () => order.Add("victim"));
        c.Advance(S(1));
        Assert.That(order, Is.EqualTo(new[] { "canceller" }));
        Assert.That(victim.Active, Is.False);
    }

    [Test]
    public void ZeroDelayCallScheduledFromACallRunsAtTheNextPass()
    {
        // Our rule (Twisted's reactor, not Twisted's Clock): one Advance is one loop iteration.
        var c = new Clock();
        var order = new List<string>();
        c.CallLater(S(1), () =>
        {
            order.Add("outer");
            c.CallLater(TimeSpan.Zero, () => order.Add("inner"));
        });
        c.Advance(S(1));
        Assert.That(order, Is.EqualTo(new[] { "outer" }));
        Assert.That(c.GetDelayedCalls(), Has.Count.EqualTo(1));
        c.Advance(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "outer", "inner" }));
    }

    [Test]
    public void CallResetToNowFromInsideAPassRunsAtTheNextPass()
    {
        var c = new Clock();
        var order = new List<string>();
        var later = c.CallLater(S(5), () => order.Add("later"));
        c.CallLater(S(1), () => { order.Add("first"); later.Reset(TimeSpan.Zero); });
        c.Advance(S(1));
        Assert.That(order, Is.EqualTo(new[] { "first" }));
        Assert.That(later.Active, Is.True);
        c.Advance(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "first", "later" }));
    }

    [Test]
    public void CallScheduledAndCancelledInsideAPassNeverRuns()
    {
        var c = new Clock();
        bool ran = false;
        c.CallLater(S(1), () =>
        {
            var inner = c.CallLater(TimeSpan.Zero, () => ran = true);
            inner.Cancel();
        });
        c.Advance(S(1));
        c.Advance(TimeSpan.Zero);
        Assert.That(ran, Is.False);
        Assert.That(c.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void SelfReschedulingZeroDelayCallRunsOncePerPass()
    {
        var c = new Clock();
        int runs = 0;
        void Tick() { runs++; c.CallLater(TimeSpan.Zero, Tick); }
        c.CallLater(TimeSpan.Zero, Tick);
        c.Advance(TimeSpan.Zero);
        c.Advance(TimeSpan.Zero);
        c.Advance(TimeSpan.Zero);
        Assert.That(runs, Is.EqualTo(3));
    }

    // twisted: test_task.ClockTests (Clock.advance calls each due function directly, so an exception
    // raised by a timed call propagates out of advance); the remaining due calls run at the next Advance.
    [Test]
    public void ExceptionInACallPropagatesOutOfAdvanceAndTheRestRunNextAdvance()
    {
        var c = new Clock();
        var ran = new List<string>();
        c.CallLater(S(1), () => ran.Add("first"));
        c.CallLater(S(1), () => throw new InvalidOperationException("boom"));
        c.CallLater(S(1), () => ran.Add("third"));
        var thrown = Assert.Throws<InvalidOperationException>(() => c.Advance(S(1)));
        Assert.That(thrown!.Message, Is.EqualTo("boom"));
        Assert.That(thrown.StackTrace, Is.Not.Null);
        Assert.That(ran, Is.EqualTo(new[] { "first" }));
        Assert.That(c.Now, Is.EqualTo(S(1)), "time moved before the calls ran");
        Assert.That(c.GetDelayedCalls(), Has.Count.EqualTo(1));
        c.Advance(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(new[] { "first", "third" }));
        Assert.That(c.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void BadArgumentsAreRejectedNamingTheArgument()
    {
        var c = new Clock();
        Assert.That(() => c.CallLater(S(-1), () => { }), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("delay"));
        Assert.That(() => c.CallLater(S(1), null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("action"));
        Assert.That(() => c.Advance(S(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("amount"));
        var call = c.CallLater(S(1), () => { });
        Assert.That(() => call.Reset(S(-1)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("delayFromNow"));
    }

    [Test]
    public void AdvanceFromInsideACallIsRefused()
    {
        var c = new Clock();
        Exception? seen = null;
        TimeSpan? nowAfterRefusal = null;
        c.CallLater(S(1), () =>
        {
            try { c.Advance(S(1)); } catch (Exception ex) { seen = ex; }
            nowAfterRefusal = c.Now;
        });
        c.Advance(S(1));
        Assert.That(seen, Is.InstanceOf<InvalidOperationException>());
        Assert.That(nowAfterRefusal, Is.EqualTo(S(1)), "a refused Advance leaves the time as it was");
    }

    [Test]
    public void PumpAdvancesByEachAmount()
    {
        var c = new Clock();
        var times = new List<TimeSpan>();
        c.CallLater(S(1), () => times.Add(c.Now));
        c.CallLater(S(3), () => times.Add(c.Now));
        c.Pump(new[] { S(0.5), S(1), S(2) });
        Assert.That(times, Is.EqualTo(new[] { S(1.5), S(3.5) }));
        Assert.That(c.Now, Is.EqualTo(S(3.5)));
    }

    [Test]
    public void HugeDelaySaturatesInsteadOfOverflowing()
    {
        var c = new Clock();
        c.Advance(S(10));
        var call = c.CallLater(TimeSpan.MaxValue, () => { });
        Assert.That(call.GetTime(), Is.EqualTo(TimeSpan.MaxValue));
        c.Advance(S(1000));
        Assert.That(call.Active, Is.True);
    }
}
