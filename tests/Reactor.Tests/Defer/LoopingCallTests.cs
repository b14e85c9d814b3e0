using Reactor.Core;
using Reactor.Defer;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>LoopingCall under the deterministic Clock (Twisted's test_task.LoopTests / ReactorLoopTests).</summary>
public class LoopingCallTests
{
    private static int Boom() => throw new GenericError();

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static void Pump(Clock clock, params double[] seconds) => clock.Pump(seconds.Select(S));

    // twisted: test_task.LoopTests.test_reactorTimeSkips
    [Test]
    public void MissedIntervalsAreSkippedNotRunInABurst()
    {
        var clock = new Clock();
        var times = new List<double>();
        var call = new LoopingCall(clock, () => times.Add(clock.Now.TotalSeconds));
        call.Start(S(0.5));
        Assert.That(times, Is.EqualTo(new[] { 0.0 }));
        clock.Advance(S(2));
        Assert.That(times, Is.EqualTo(new[] { 0.0, 2 }));
        clock.Advance(S(1));
        Assert.That(times, Is.EqualTo(new[] { 0.0, 2, 3 }));
        clock.Advance(S(0));
        Assert.That(times, Is.EqualTo(new[] { 0.0, 2, 3 }));
        call.Stop();
    }

    // twisted: test_task.LoopTests.test_reactorTimeCountSkips
    [Test]
    public void WithCountReportsSkippedIntervals()
    {
        var clock = new Clock();
        var times = new List<(double, int)>();
        var call = LoopingCall.WithCount(clock, n => times.Add((Math.Round(clock.Now.TotalSeconds, 6), n)));
        call.Start(S(0.5));
        Assert.That(times, Is.EqualTo(new[] { (0.0, 1) }));
        clock.Advance(S(0.51));
        Assert.That(times, Is.EqualTo(new[] { (0.0, 1), (0.51, 1) }));
        clock.Advance(S(1.51));
        Assert.That(times, Is.EqualTo(new[] { (0.0, 1), (0.51, 1), (2.02, 3) }));
        clock.Advance(S(0));
        Assert.That(times, Has.Count.EqualTo(3));
        call.Stop();
    }

    // twisted: test_task.LoopTests.test_countLengthyIntervalCounts
    [Test]
    public void WithCountCountsOnlyCallsThatWereDue()
    {
        var clock = new Clock();
        var times = new List<(double, int)>();
        var call = LoopingCall.WithCount(clock, n => times.Add((Math.Round(clock.Now.TotalSeconds, 6), n)));
        call.Start(S(0.5));
        Assert.That(times[^1], Is.EqualTo((0.0, 1)));
        clock.Advance(S(0.51));
        Assert.That(times[^1], Is.EqualTo((0.51, 1)));
        clock.Advance(S(0.875));
        Assert.That(times[^1], Is.EqualTo((1.385, 1)));
        clock.Advance(S(0.125));
        Assert.That(times[^1], Is.EqualTo((1.51, 1)));
        call.Stop();
    }

    // twisted: test_task.LoopTests.test_withCountIntervalZero
    [Test]
    public void WithCountAndZeroIntervalAlwaysCountsOne()
    {
        var clock = new Clock();
        var counts = new List<int>();
        LoopingCall? call = null;
        call = LoopingCall.WithCount(clock, n =>
        {
            counts.Add(n);
            if (counts.Count == 4) call!.Stop();
        });
        var d = call.Start(TimeSpan.Zero);
        for (int i = 0; i < 5; i++) clock.Advance(TimeSpan.Zero);
        Assert.That(counts, Is.EqualTo(new[] { 1, 1, 1, 1 }));
        Assert.That(SuccessResultOf(d), Is.SameAs(call));
    }

    // twisted: test_task.LoopTests.testBasicFunction
    [Test]
    public void CallsEveryIntervalAndStopFiresTheDeferredWithTheLoop()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var d = lc.Start(S(0.1));
        LoopingCall? result = null;
        d.AddCallback(r => result = r);
        Pump(clock, 0.05, 0.1, 0.1);
        Assert.That(calls, Is.EqualTo(3));
        lc.Stop();
        Assert.That(result, Is.SameAs(lc));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.LoopTests.testDelayedStart
    [Test]
    public void StartWithoutNowWaitsOneInterval()
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        var d = lc.Start(S(0.1), now: false);
        Pump(clock, 0.05, 0.1, 0.1);
        Assert.That(calls, Is.EqualTo(2));
        lc.Stop();
        Assert.That(SuccessResultOf(d), Is.SameAs(lc));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.LoopTests.testBadDelay
    [Test]
    public void NegativeIntervalIsRejected()
    {
        var lc = new LoopingCall(new Clock(), () => { });
        Assert.Throws<ArgumentOutOfRangeException>(() => lc.Start(S(-1)));
        Assert.That(lc.Running, Is.False);
    }

    // twisted: test_task.LoopTests.testStopAtOnce / testStoppingBeforeDelayedStart
    [TestCase(0.0)]
    [TestCase(10.0)]
    public void StopBeforeTheFirstCallPreventsEveryCall(double interval)
    {
        var clock = new Clock();
        int calls = 0;
        var lc = new LoopingCall(clock, () => calls++);
        lc.Start(S(interval), now: false);
        lc.Stop();
        clock.Advance(S(interval));
        Assert.That(calls, Is.Zero);
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.LoopTests.test_reset
    [Test]
    public void ResetRestartsTheIntervalFromNow()
    {
        var c = new Clock();
        int calls = 0;
        var lc = new LoopingCall(c, () => calls++);
        lc.Start(S(2), now: false);
        c.Advance(S(1));
        lc.Reset();
        c.Advance(S(1));
        Assert.That(calls, Is.Zero);
        c.Advance(S(1));
        Assert.That(calls, Is.EqualTo(1));
        lc.Stop();
    }

    // twisted: test_task.ReactorLoopTests.testFailure
    [Test]
    public void FailingCallErrbacksTheStartDeferred()
    {
        var lc = new LoopingCall(new Clock(), () => throw new GenericError("bar"));
        var d = lc.Start(S(0.1));
        FailureResultOf(d, typeof(GenericError));
        Assert.That(lc.Running, Is.False);
    }

    // twisted: test_task.ReactorLoopTests.testFailAndStop
    [Test]
    public void FailureAfterStopStillErrbacks()
    {
        LoopingCall? lc = null;
        lc = new LoopingCall(new Clock(), () =>
        {
            lc!.Stop();
            throw new GenericError("bar");
        });
        FailureResultOf(lc.Start(S(0.1)), typeof(GenericError));
    }

    // twisted: test_task.ReactorLoopTests.testEveryIteration
    [Test]
    public void ZeroIntervalRunsOncePerIteration()
    {
        var clock = new Clock();
        int ran = 0;
        LoopingCall? lc = null;
        lc = new LoopingCall(clock, () =>
        {
            ran++;
            if (ran > 5) lc!.Stop();
        });
        var d = lc.Start(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(1));
        for (int i = 0; i < 10 && !d.HasResult; i++) clock.Advance(TimeSpan.Zero);
        Assert.That(ran, Is.EqualTo(6));
        SuccessResultOf(d);
    }

    // twisted: test_task.ReactorLoopTests.testWaitDeferred
    [Test]
    public void NextCallWaitsForTheReturnedDeferred()
    {
        var clock = new Clock();
        int calls = 0;
        LoopingCall? lc = null;
        lc = new LoopingCall(clock, () =>
        {
            calls++;
            var d = new Deferred<object?>();
            d.AddCallback(_ => lc!.Stop());
            clock.CallLater(S(1), () => d.Callback(null));
            return d;
        });
        lc.Start(S(0.2));
        Pump(clock, 0.2, 0.8);
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.ReactorLoopTests.testFailurePropagation
    [Test]
    public void FailureOfTheReturnedDeferredErrbacksTheLoop()
    {
        var clock = new Clock();
        var lc = new LoopingCall(clock, () =>
        {
            var d = new Deferred<object?>();
            clock.CallLater(S(0.3), () => d.Errback(new GenericError()));
            return d;
        });
        var result = lc.Start(S(1));
        Pump(clock, 0.3);
        FailureResultOf(result, typeof(GenericError));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.ReactorLoopTests.test_deferredWithCount
    [Test]
    public void WithCountWaitsForItsDeferredAndCountsTheIntervalsMissedMeanwhile()
    {
        var clock = new Clock();
        var pending = new Deferred<object?>();
        var counts = new List<int>();
        var lc = LoopingCall.WithCount(clock, n =>
        {
            counts.Add(n);
            return counts.Count == 1 ? pending : null;
        });
        lc.Start(S(0.2), now: false);
        Assert.That(counts, Is.Empty);
        Pump(clock, 0.2, 0.4);
        Assert.That(counts, Has.Count.EqualTo(1));
        pending.Callback(null);
        Pump(clock, 0.2);
        Assert.That(counts, Is.EqualTo(new[] { 1, 3 }));
        lc.Stop();
    }

    [Test]
    public void StartingTwiceOrStoppingWhenIdleIsAnError()
    {
        var lc = new LoopingCall(new Clock(), () => { });
        Assert.Throws<InvalidOperationException>(lc.Stop);
        lc.Start(S(1));
        Assert.Throws<InvalidOperationException>(() => lc.Start(S(1)));
        lc.Stop();
    }

    // twisted: test_task.DeferLaterTests.test_callback
    [Test]
    public void DeferLaterFiresWithTheFunctionsResultAfterTheDelay()
    {
        var clock = new Clock();
        var flag = new object();
        int calls = 0;
        var d = clock.DeferLater(S(3), () => { calls++; return flag; });
        clock.Advance(S(2));
        Assert.That(calls, Is.Zero);
        clock.Advance(S(1));
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(SuccessResultOf(d), Is.SameAs(flag));
    }

    // twisted: test_task.DeferLaterTests.test_errback
    [Test]
    public void DeferLaterFailsWithTheFunctionsException()
    {
        var clock = new Clock();
        var d = clock.DeferLater(S(1), Boom);
        clock.Advance(S(1));
        FailureResultOf(d, typeof(GenericError));
    }

    // twisted: test_task.DeferLaterTests.test_cancel
    [Test]
    public void CancellingDeferLaterCancelsTheCall()
    {
        var clock = new Clock();
        bool called = false;
        var d = clock.DeferLater(S(1), () => { called = true; });
        d.Cancel();
        FailureResultOf(d, typeof(CancelledError));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
        clock.Advance(S(1));
        Assert.That(called, Is.False);
    }

    // twisted: test_task.DeferLaterTests.test_noCallback
    [Test]
    public void DeferLaterWithoutAFunctionFiresWithNull()
    {
        var clock = new Clock();
        var d = clock.DeferLater(S(2));
        AssertNoResult(d);
        clock.Advance(S(2));
        Assert.That(SuccessResultOf(d), Is.Null);
    }
}
