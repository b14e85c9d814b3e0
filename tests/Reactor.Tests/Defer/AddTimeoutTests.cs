using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>Deferred.AddTimeout under the deterministic Clock (Twisted's test_defer.DeferredAddTimeoutTests).</summary>
public class AddTimeoutTests
{
    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);

    // twisted: test_defer.DeferredAddTimeoutTests.test_timeoutChainable
    [Test]
    public void AddTimeoutReturnsTheSameChain()
    {
        var d = new Deferred<object?>();
        Assert.That(d.AddTimeout(Ten, new Clock()), Is.SameAs(d));
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_successResultBeforeTimeout
    [Test]
    public void SuccessBeforeTheTimeoutCancelsTheTimer()
    {
        var clock = new Clock();
        var d = new Deferred<string>();
        d.AddTimeout(Ten, clock);
        string? result = null;
        d.AddCallback(r => result = r);
        Assert.That(result, Is.Null);
        d.Callback("Success");
        Assert.That(result, Is.EqualTo("Success"));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
        clock.Advance(Ten);
        Assert.That(result, Is.EqualTo("Success"));
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_failureBeforeTimeout
    [Test]
    public void FailureBeforeTheTimeoutIsPassedOn()
    {
        var clock = new Clock();
        var d = new Deferred<object?>();
        d.AddTimeout(Ten, clock);
        Failure? seen = null;
        d.AddErrback(f => { seen = f; return null; });
        var error = new GenericError("fail");
        d.Errback(error);
        Assert.That(seen!.Value, Is.SameAs(error));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_timedOut / research E9
    [Test]
    public void TimingOutFailsWithTimeoutError()
    {
        var clock = new Clock();
        var d = new Deferred<object?>();
        d.AddTimeout(Ten, clock);
        AssertNoResult(d);
        clock.Advance(Ten);
        var failure = FailureResultOf(d, typeof(TimeoutError));
        Assert.That(failure.Value.InnerException, Is.TypeOf<CancelledError>());
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_timedOutProvidedCancelSuccess
    [Test]
    public void TimeoutWhoseCancellerSucceedsFiresWithThatValue()
    {
        var clock = new Clock();
        var d = new Deferred<string>(x => x.Callback("I was cancelled!"));
        d.AddTimeout(Ten, clock);
        clock.Advance(Ten);
        Assert.That(SuccessResultOf(d), Is.EqualTo("I was cancelled!"));
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_timedOutProvidedCancelFailure
    [Test]
    public void TimeoutWhoseCancellerFailsKeepsThatFailure()
    {
        var clock = new Clock();
        var error = new GenericError("what!");
        var d = new Deferred<object?>(x => x.Errback(error));
        d.AddTimeout(Ten, clock);
        clock.Advance(Ten);
        Assert.That(FailureResultOf(d, typeof(GenericError)).Value, Is.SameAs(error));
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_cancelBeforeTimeout
    [Test]
    public void CancellingBeforeTheTimeoutGivesCancelledError()
    {
        var clock = new Clock();
        var d = new Deferred<object?>();
        d.AddTimeout(Ten, clock);
        d.Cancel();
        FailureResultOf(d, typeof(CancelledError));
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_errbackAddedBeforeTimeout
    [Test]
    public void ErrbackAddedBeforeTheTimeoutSeesCancelledError()
    {
        var clock = new Clock();
        var d = new Deferred<object?>();
        Failure? first = null;
        d.AddErrback(f => { first = f; f.Rethrow(); return null; });
        d.AddTimeout(Ten, clock);
        clock.Advance(Ten);
        Assert.That(first!.Value, Is.TypeOf<CancelledError>());
        FailureResultOf(d, typeof(TimeoutError));
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_errbackAddedBeforeTimeoutSuppressesCancellation
    [Test]
    public void ErrbackBeforeTheTimeoutThatSwallowsCancellationYieldsSuccess()
    {
        var clock = new Clock();
        var d = new Deferred<object?>();
        d.AddErrback(_ => null);
        d.AddTimeout(Ten, clock);
        clock.Advance(Ten);
        Assert.That(SuccessResultOf(d), Is.Null);
    }

    // twisted: test_defer.DeferredAddTimeoutTests.test_callbackAddedToCancelerBeforeTimeout
    [Test]
    public void CallbackAddedBeforeTheTimeoutSeesTheCancellersResult()
    {
        var clock = new Clock();
        var d = new Deferred<string>(x => x.Callback("I was cancelled!"));
        string? seen = null;
        d.AddCallback(r => { seen = r; return r; });
        d.AddTimeout(Ten, clock);
        clock.Advance(Ten);
        Assert.That(seen, Is.EqualTo("I was cancelled!"));
        Assert.That(SuccessResultOf(d), Is.EqualTo("I was cancelled!"));
    }

    // Twisted #6676/#9534: a canceller that throws used to leave a timed-out Deferred pending forever.
    [Test]
    public void TimeoutWithAThrowingCancellerStillFires()
    {
        var clock = new Clock();
        var d = new Deferred<object?>(_ => throw new GenericError("canceller broke"));
        d.AddTimeout(Ten, clock);
        clock.Advance(Ten);
        FailureResultOf(d, typeof(GenericError));
    }
}
