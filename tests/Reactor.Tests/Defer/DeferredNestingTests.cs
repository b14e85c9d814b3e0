using Reactor.Defer;

namespace Reactor.Tests.Defer;

/// <summary>Callbacks returning Deferreds, pausing, and deep chains (Twisted's test_defer.DeferredTests).</summary>
public class DeferredNestingTests
{
    // twisted: test_defer.DeferredTests.test_callbackReturnsDeferred / research E4
    [Test]
    public void CallbackReturningAnUnfiredDeferredPausesTheChainUntilItFires()
    {
        var inner = new Deferred<string>();
        var outer = new Deferred<string>();
        string? seen = null;
        outer.AddCallback(_ => inner).AddCallback(r => seen = r);
        outer.Callback("a");
        Assert.That(seen, Is.Null);
        Assert.That(outer.ToString(), Does.Contain("waiting on Deferred"));
        inner.Callback("b");
        Assert.That(seen, Is.EqualTo("b"));
    }

    // twisted: test_defer.DeferredTests.test_asynchronousImplicitChain
    [Test]
    public void InnerDeferredResultIsNullAfterHandingItOn()
    {
        var inner = new Deferred<object?>();
        var outer = new Deferred<object?>();
        var results = new List<object?>();
        outer.AddCallback(_ => inner).AddCallback(r => results.Add(r));
        outer.Callback(null);
        inner.Callback("inner result");
        inner.AddCallback(r => results.Add(r));
        Assert.That(results, Is.EqualTo(new object?[] { "inner result", null }));
    }

    // twisted: test_defer.DeferredTests.test_synchronousImplicitChain
    [Test]
    public void CallbackReturningAFiredDeferredContinuesImmediately()
    {
        var fired = Deferred.Succeed<object?>("x");
        object? seen = null;
        Deferred.Succeed<object?>(null).AddCallback(_ => fired).AddCallback(r => seen = r);
        Assert.That(seen, Is.EqualTo("x"));
        object? afterwards = "unset";
        fired.AddCallback(r => afterwards = r);
        Assert.That(afterwards, Is.Null);
    }

    // twisted: test_defer.DeferredTests.test_innerCallbacksPreserved
    [Test]
    public void InnerFailureTravelsToTheOuterErrback()
    {
        var inner = new Deferred<int>();
        Failure? seen = null;
        Deferred.Succeed(1).AddCallback(_ => inner).AddErrback(f => { seen = f; return 0; });
        inner.Errback(new KeyNotFoundException());
        Assert.That(seen!.Value, Is.TypeOf<KeyNotFoundException>());
    }

    // twisted: test_defer.DeferredTests.test_chainedPausedDeferredWithResult
    [Test]
    public void PausedDeferredWithResultIsWaitedOnNotStolen()
    {
        var expected = new object();
        var paused = Deferred.Succeed<object?>(expected);
        paused.Pause();
        object? seen = null;
        Deferred.Succeed<object?>(null).AddCallback(_ => paused).AddCallback(r => seen = r);
        Assert.That(seen, Is.Null);
        paused.Unpause();
        Assert.That(seen, Is.SameAs(expected));
    }

    // twisted: test_defer.DeferredTests.test_pausedDeferredChained
    [Test]
    public void PausingTheOuterDeferredDoesNotStopTheInnerOnesCallbacks()
    {
        var first = new Deferred<object?>();
        var second = new Deferred<object?>();
        first.AddCallback(_ => second);
        first.Callback(null);
        first.Pause();
        second.Callback(null);
        var results = new List<object?>();
        second.AddCallback(r => results.Add(r));
        Assert.That(results, Is.EqualTo(new object?[] { null }));
    }

    // twisted: test_defer.DeferredTests.testPausedFailure (success variant) / research E10
    [Test]
    public void PausedDeferredRunsCallbacksOnUnpause()
    {
        var d = Deferred.Succeed(1);
        d.Pause();
        int seen = 0;
        d.AddCallback(r => seen = r);
        Assert.That(seen, Is.EqualTo(0));
        d.Unpause();
        Assert.That(seen, Is.EqualTo(1));
    }

    // twisted: test_defer.DeferredTests.test_boundedStackDepth / research E18
    [Test]
    public void HundredThousandChainedDeferredsFireWithoutStackOverflow()
    {
        const int n = 100_000;
        var deferreds = new Deferred<int>[n];
        for (int i = 0; i < n; i++) deferreds[i] = new Deferred<int>();
        for (int i = 0; i < n - 1; i++)
        {
            var next = deferreds[i + 1];
            deferreds[i].AddCallback(_ => next);
        }
        int result = 0;
        var tail = deferreds[0].AddCallback(r => result = r);
        for (int i = 0; i < n - 1; i++) deferreds[i].Callback(0);
        deferreds[n - 1].Callback(42);
        Assert.That(result, Is.EqualTo(42));
    }

    // twisted: test_defer.DeferredTests.test_boundedStackDepth (fired leaf-first: every callback steals a ready result)
    [Test]
    public void LongChainOfReadyDeferredsRunsIteratively()
    {
        var d = Deferred.Succeed(0);
        for (int i = 0; i < 100_000; i++) d = d.AddCallback(r => Deferred.Succeed(r + 1));
        int result = 0;
        d.AddCallback(r => result = r);
        Assert.That(result, Is.EqualTo(100_000));
    }

    // twisted: test_defer.DeferredTests.test_circularChainWarning (here an error, not a warning)
    [Test]
    public void CallbackReturningItsOwnDeferredFails()
    {
        var d = new Deferred<object?>();
        Failure? seen = null;
        d.AddCallback(_ => d).AddErrback(f => { seen = f; return null; });
        d.Callback(null);
        Assert.That(seen!.Value, Is.TypeOf<InvalidOperationException>());
    }
}
