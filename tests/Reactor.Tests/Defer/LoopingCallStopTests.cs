using Reactor.Core;
using Reactor.Defer;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>LoopingCall: stopping from a timed call or while its Deferred is pending, and a call that outlasts its interval.</summary>
public class LoopingCallStopTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    // twisted: test_task.ReactorLoopTests.testStopAtOnceLater
    [Test]
    public void StopFromATimedCallPreventsEveryLaterCall()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var stopped = lc.Start(S(1), now: false);
        clock.CallLater(TimeSpan.Zero, lc.Stop);
        clock.Advance(TimeSpan.Zero);
        Assert.That(SuccessResultOf(stopped), Is.SameAs(lc));
        clock.Pump(new[] { S(1), S(1), S(1) });
        Assert.That(calls, Is.Zero);
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.LoopTests.test_callbackTimeSkips (its first half: the slow call is the one Start makes,
    // because this project's Clock refuses an Advance from inside a call it is running)
    [Test]
    public void NextCallIsTheNextBoundaryStillInTheFutureAfterASlowCall()
    {
        var clock = new Clock();
        var times = new List<double>();
        double callDuration = 2;
        var lc = new LoopingCall(clock, () =>
        {
            times.Add(clock.Now.TotalSeconds);
            if (callDuration > 0) clock.Advance(S(callDuration));
        });
        lc.Start(S(0.5));
        Assert.That(times, Is.EqualTo(new[] { 0.0 }));
        Assert.That(clock.Now, Is.EqualTo(S(2)));
        // A call was due at 2, but 2 is the present, not the future: skipped.
        clock.Advance(TimeSpan.Zero);
        Assert.That(times, Is.EqualTo(new[] { 0.0 }));
        callDuration = 0;
        clock.Advance(S(0.5));
        Assert.That(times, Is.EqualTo(new[] { 0.0, 2.5 }));
        clock.Advance(S(0.5));
        Assert.That(times, Is.EqualTo(new[] { 0.0, 2.5, 3.0 }));
        Assert.That(lc.Running, Is.True);
        lc.Stop();
    }

    // Twisted's LoopingCall.stop (task.py): stopping while the call's Deferred is pending fires the Deferred
    // returned by Start only once that Deferred fires, and nothing is called again.
    [Test]
    public void StopWhileTheCallsDeferredIsPendingFiresWhenItFires()
    {
        var clock = new Clock();
        int calls = 0;
        var pending = new Deferred<object?>();
        var lc = new LoopingCall(clock, () =>
        {
            calls++;
            return pending;
        });
        var stopped = lc.Start(S(1));
        Assert.That(calls, Is.EqualTo(1));
        lc.Stop();
        Assert.That(lc.Running, Is.False);
        AssertNoResult(stopped);
        pending.Callback(null);
        Assert.That(SuccessResultOf(stopped), Is.SameAs(lc));
        clock.Pump(new[] { S(1), S(1) });
        Assert.That(calls, Is.EqualTo(1));
    }
}
