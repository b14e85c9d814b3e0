using Reactor.Defer;

namespace Reactor.Tests.Defer;

/// <summary>Callbacks, errbacks and switching between them (Twisted's test_defer.DeferredTests).</summary>
public class DeferredChainTests
{
    // twisted: test_defer.DeferredTests.testCallbackWithoutArgs
    [Test]
    public void CallbackPassesTheResultToTheCallback()
    {
        var d = new Deferred<string>();
        string? seen = null;
        d.AddCallback(r => seen = r);
        d.Callback("hello");
        Assert.That(seen, Is.EqualTo("hello"));
    }

    // twisted: test_defer.DeferredTests.testTwoCallbacks
    [Test]
    public void CallbacksRunInOrderEachSeeingThePreviousResult()
    {
        var d = new Deferred<int>();
        var seen = new List<int>();
        d.AddCallback(r => { seen.Add(r); return r + 1; })
         .AddCallback(r => { seen.Add(r); return r * 10; })
         .AddCallback(r => seen.Add(r));
        d.Callback(1);
        Assert.That(seen, Is.EqualTo(new[] { 1, 2, 20 }));
    }

    // twisted: test_defer.DeferredTests.testImmediateSuccess (callbacks added after firing run at once)
    [Test]
    public void CallbackAddedAfterFiringRunsSynchronously()
    {
        var d = Deferred.Succeed(5);
        int seen = 0;
        d.AddCallback(r => seen = r);
        Assert.That(seen, Is.EqualTo(5));
    }

    // twisted: test_defer.DeferredTests.testCallbackErrors
    [Test]
    public void CallbackThatThrowsSwitchesToTheErrbackPath()
    {
        var d = new Deferred<int>();
        Failure? seen = null;
        d.AddCallback(Boom)
         .AddErrback(f => { seen = f; return 0; });
        d.Callback(1);
        Assert.That(seen!.Value, Is.TypeOf<DivideByZeroException>());
    }

    // research §2.11 E1 (Twisted's _runCallbacks: an errback returning a value resumes the callback path)
    [Test]
    public void ErrbackReturningAValueSwitchesBackToCallbacks()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        d.AddCallback(r => r + 1)
         .AddCallback(Boom)
         .AddCallback(_ => { log.Add("never"); return 0; })
         .AddErrback(f => { log.Add("errback " + f.Type.Name); return -1; })
         .AddCallback(r => log.Add("after " + r));
        d.Callback(1);
        Assert.That(log, Is.EqualTo(new[] { "errback DivideByZeroException", "after -1" }));
    }

    // twisted: research E3 — the errback of the same AddCallbacks pair does not see the callback's exception
    [Test]
    public void ExceptionInCallbackIsNotSeenByTheSamePairsErrback()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        d.AddCallbacks(Boom, f => { log.Add("eb1"); return 0; })
         .AddErrback(f => { log.Add("eb2"); return 0; });
        d.Callback(0);
        Assert.That(log, Is.EqualTo(new[] { "eb2" }));
    }

    // twisted: research E2 — a callback returning a Failure switches to the error path
    [Test]
    public void CallbackReturningAFailureSwitchesToTheErrorPath()
    {
        var d = new Deferred<object?>();
        Type? seen = null;
        d.AddCallback<object?>(_ => new Failure(new ArgumentException()))
         .AddErrback(f => { seen = f.Type; return null; });
        d.Callback(0);
        Assert.That(seen, Is.EqualTo(typeof(ArgumentException)));
    }

    // twisted: research E17 — callback(Failure) takes the error path
    [Test]
    public void FiringWithAFailureValueRunsTheFirstErrback()
    {
        var d = new Deferred<object?>();
        var log = new List<string>();
        d.AddCallback(_ => { log.Add("cb"); return (object?)null; }).AddErrback(f => { log.Add("eb"); return null; });
        d.Callback(new Failure(new ArgumentException()));
        Assert.That(log, Is.EqualTo(new[] { "eb" }));
    }

    // twisted: test_defer.DeferredTests.testCallbackErrors (errback path through callbacks-only links)
    [Test]
    public void FailurePassesCallbacksBy()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        var tail = d.AddCallback(r => { log.Add("cb"); return r; }).AddBoth(r => { log.Add(r is Failure ? "both-failure" : "both"); return r; });
        d.Errback(new KeyNotFoundException());
        Assert.That(log, Is.EqualTo(new[] { "both-failure" }));
        tail.AddErrback(_ => null);
    }

    // twisted: test_defer.AlreadyCalledTests.testAlreadyCalled_CC, _CE, _EC, _EE
    [TestCase("cc")]
    [TestCase("ce")]
    [TestCase("ec")]
    [TestCase("ee")]
    public void FiringTwiceRaisesAlreadyCalledError(string order)
    {
        var d = new Deferred<object?>();
        d.AddErrback(_ => null);
        void Fire(char c)
        {
            if (c == 'c') d.Callback(null); else d.Errback(new InvalidOperationException());
        }
        Fire(order[0]);
        Assert.Throws<AlreadyCalledError>(() => Fire(order[1]));
    }

    // twisted: test_defer.DeferredTests.test_reentrantRunCallbacks
    [Test]
    public void CallbackAddedByARunningCallbackRunsAfterTheQueuedOnes()
    {
        var d = new Deferred<object?>();
        var order = new List<int>();
        d.AddCallback(_ =>
        {
            order.Add(1);
            d.AddCallback(_ => order.Add(3));
        });
        // The chain was typed anew by the Action overload; the queued callback goes on the returned view.
        d.Callback(null);
        Assert.That(order, Is.EqualTo(new[] { 1, 3 }));
    }

    // twisted: test_defer.DeferredTests.test_nonReentrantCallbacks
    [Test]
    public void CallbackAddingACallbackToItsOwnDeferredDoesNotRunItReentrantly()
    {
        var d = new Deferred<object?>();
        var order = new List<string>();
        Func<object?, object?> second = r => { order.Add("second"); return r; };
        d.AddCallback(r =>
        {
            order.Add("first");
            d.AddCallback(second);
            order.Add("first done");
            return r;
        });
        d.Callback(null);
        Assert.That(order, Is.EqualTo(new[] { "first", "first done", "second" }));
    }

    // twisted: research E19 — cb1 adds cb3 while cb2 is already queued
    [Test]
    public void CallbackAddedDuringRunGoesAfterAlreadyQueuedCallbacks()
    {
        var d = new Deferred<object?>();
        var order = new List<int>();
        d.AddCallback(r => { order.Add(1); d.AddCallback(x => { order.Add(3); return x; }); return r; });
        d.AddCallback(r => { order.Add(2); return r; });
        d.Callback(null);
        Assert.That(order, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    // Twisted's addBoth semantics (runs on both paths; not a port of a single Twisted test)
    [Test]
    public void AddBothFinallyRunsOnBothPathsAndKeepsTheResult()
    {
        int runs = 0;
        var ok = Deferred.Succeed(3).AddBoth(() => runs++);
        var bad = Deferred.Fail<int>(new InvalidOperationException()).AddBoth(() => runs++);
        Assert.That(runs, Is.EqualTo(2));
        int value = 0;
        ok.AddCallback(v => value = v);
        Assert.That(value, Is.EqualTo(3));
        Failure? failure = null;
        bad.AddErrback(f => { failure = f; return 0; });
        Assert.That(failure!.Value, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void StaleViewCannotBeExtended()
    {
        var d = new Deferred<int>();
        d.AddCallback(r => r.ToString());
        Assert.Throws<InvalidOperationException>(() => d.AddCallback(r => r + 1));
    }

    [Test]
    public void TypedViewCannotBeFiredWithCallback()
    {
        var d = new Deferred<int>();
        var s = d.AddCallback(r => r.ToString());
        Assert.Throws<InvalidOperationException>(() => s.Callback("x"));
        string? seen = null;
        s.AddCallback(r => seen = r);
        d.Callback(4);
        Assert.That(seen, Is.EqualTo("4"));
    }

    [Test]
    public void FiringWithADeferredIsRejected()
    {
        var d = new Deferred<object?>();
        Assert.Throws<ArgumentException>(() => d.Callback(new Deferred<int>()));
    }

    private static int Boom(int _) => throw new DivideByZeroException();

    [Test]
    public void UntypedAddBothObservesADeferredOfAnyTypeWithoutChangingIt()
    {
        Deferred any = new Deferred<string>();
        int runs = 0;
        Assert.That(any.AddBoth(() => runs++), Is.SameAs(any));
        ((Deferred<string>)any).Callback("kept");
        Assert.That(runs, Is.EqualTo(1));
        Assert.That(Reactor.Testing.DeferredAssert.SuccessResultOf((Deferred<string>)any), Is.EqualTo("kept"));
    }
}
