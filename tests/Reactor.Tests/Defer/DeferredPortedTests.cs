using Reactor.Defer;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>More of Twisted's test_defer.DeferredTests: immediate results, implicit chaining, MaybeDeferred.</summary>
public class DeferredPortedTests
{
    // twisted: test_defer.DeferredTests.testImmediateSuccess
    [Test]
    public void SucceedFiresAtOnce()
    {
        var l = new List<string>();
        Deferred.Succeed("success").AddCallback(r => l.Add(r));
        Assert.That(l, Is.EqualTo(new[] { "success" }));
    }

    // twisted: test_defer.DeferredTests.test_succeedMatchesManualSuccess
    [Test]
    public void SucceedMatchesManualCallback()
    {
        var d = new Deferred<string>();
        d.Callback("success");
        var d2 = Deferred.Succeed("success");
        Assert.That((d.Called, d.HasResult, SuccessResultOf(d)), Is.EqualTo((d2.Called, d2.HasResult, SuccessResultOf(d2))));
    }

    // twisted: test_defer.DeferredTests.testImmediateFailure
    [Test]
    public void FailFiresTheErrbackAtOnce()
    {
        var l = new List<Failure>();
        Deferred.Fail<object?>(new GenericError("fail")).AddErrback(f => l.Add(f));
        Assert.That(l[0].Value.Message, Is.EqualTo("fail"));
    }

    // twisted: test_defer.DeferredTests.testPausedFailure
    [Test]
    public void PausedFailureIsDeliveredOnUnpause()
    {
        var l = new List<Failure>();
        var d = Deferred.Fail<object?>(new GenericError("fail"));
        d.Pause();
        d.AddErrback(f => l.Add(f));
        Assert.That(l, Is.Empty);
        d.Unpause();
        Assert.That(l[0].Value.Message, Is.EqualTo("fail"));
    }

    // twisted: test_defer.DeferredTests.testUnpauseBeforeCallback
    [Test]
    public void UnpausingBeforeFiringRunsNothing()
    {
        var d = new Deferred<object?>();
        d.Pause();
        bool ran = false;
        var tail = d.AddCallback(_ => ran = true);
        d.Unpause();
        Assert.That(ran, Is.False);
        d.Callback(null);
        Assert.That(ran, Is.True);
        Assert.That(tail.HasResult);
    }

    [Test]
    public void UnpauseWithoutPauseIsAnError()
    {
        Assert.Throws<InvalidOperationException>(new Deferred<int>().Unpause);
    }

    // twisted: test_defer.DeferredTests.test_callbackReturnsDeferred
    [Test]
    public void ChainWaitsForAPausedInnerDeferredToBeUnpaused()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        d2.Pause();
        int? seen = null;
        d1.AddCallback(_ => d2).AddCallback(r => seen = r);
        d1.Callback(1);
        Assert.That(seen, Is.Null);
        d2.Callback(2);
        Assert.That(seen, Is.Null);
        d2.Unpause();
        Assert.That(seen, Is.EqualTo(2));
    }

    // twisted: test_defer.DeferredTests.test_callbackMaybeReturnsFailure
    [Test]
    public void CallbackMayReturnAFailure()
    {
        var rte = new InvalidOperationException();
        bool shouldFail = false;
        object MaybeFail(object r) => shouldFail ? new Failure(rte) : (int)r + 1;
        Assert.That(SuccessResultOf(Deferred.Succeed<object>(6).AddCallback(MaybeFail)), Is.EqualTo(7));
        shouldFail = true;
        var d = Deferred.Succeed<object>(6).AddCallback(MaybeFail).AddCallback(MaybeFail);
        Assert.That(FailureResultOf(d, typeof(InvalidOperationException)).Value, Is.SameAs(rte));
    }

    // twisted: test_defer.DeferredTests.test_errbackReturnsDeferred
    [Test]
    public void ErrbackMayReturnADeferred()
    {
        var d = new Deferred<string>();
        var d2 = new Deferred<string>();
        var values = new List<string>();
        d.AddErrback(_ => d2).AddCallback(r => values.Add(r));
        d.Errback(new ArgumentException());
        AssertNoResult(d);
        Assert.That(values, Is.Empty);
        d2.Callback("result");
        Assert.That(values, Is.EqualTo(new[] { "result" }));
    }

    // twisted: test_defer.DeferredTests.test_continueCallbackNotFirst
    [Test]
    public void ContinuationNeedNotBeTheFirstLink()
    {
        var results = new List<string>();
        var failures = new List<Failure>();
        var a = new Deferred<string>();
        Deferred<object?> Cb(string result)
        {
            results.Add("cb " + result);
            var d = new Deferred<object?>();
            var returner = d.AddCallback(_ => { results.Add("firstCallback"); return Deferred.GatherResults(new[] { a }); })
                .AddCallback(r => results.Add("secondCallback " + string.Join(",", r)))
                .AddErrback(f => failures.Add(f));
            d.Callback(null);
            return returner;
        }
        Deferred.Succeed("outer").AddCallback(Cb).AddErrback(f => failures.Add(f));
        Assert.That(results, Is.EqualTo(new[] { "cb outer", "firstCallback" }));
        a.Callback("withers");
        Assert.That(failures, Is.Empty);
        Assert.That(results, Is.EqualTo(new[] { "cb outer", "firstCallback", "secondCallback withers" }));
    }

    // twisted: test_defer.DeferredTests.test_callbackOrderPreserved
    [Test]
    public void OuterCallbacksRunAfterTheInnerChain()
    {
        var results = new List<string>();
        var failures = new List<Failure>();
        var a = new Deferred<string>();
        Deferred<object?> Cb(string result)
        {
            results.Add("cb " + result);
            var d = new Deferred<object?>();
            var returner = d.AddCallback(_ => { results.Add("firstCallback"); return Deferred.GatherResults(new[] { a }); })
                .AddCallback(r => results.Add("secondCallback " + string.Join(",", r)))
                .AddErrback(f => failures.Add(f));
            d.Callback(null);
            return returner;
        }
        var outer = new Deferred<string>();
        outer.AddCallback(Cb).AddCallback(_ => results.Add("final")).AddErrback(f => failures.Add(f));
        outer.Callback("outer");
        Assert.That(results, Is.EqualTo(new[] { "cb outer", "firstCallback" }));
        a.Callback("withers");
        Assert.That(failures, Is.Empty);
        Assert.That(results, Is.EqualTo(new[] { "cb outer", "firstCallback", "secondCallback withers", "final" }));
    }

    // twisted: test_defer.DeferredTests.test_reentrantRunCallbacksWithFailure
    [Test]
    public void ExceptionFromACallbackAddedByACallbackReachesTheErrbackPath()
    {
        var d = new Deferred<object?>();
        d.AddCallback(_ =>
        {
            d.AddCallback(object? (_) => throw new GenericError("callback raised exception"));
            return (object?)null;
        });
        d.Callback(null);
        Assert.That(FailureResultOf(d, typeof(GenericError)).Value.Message, Is.EqualTo("callback raised exception"));
    }

    // twisted: test_defer.DeferredTests.test_synchronousImplicitErrorChain
    [Test]
    public void StolenFailureLeavesNullBehind()
    {
        var first = Deferred.Fail<object?>(new InvalidOperationException("First Deferred's Failure"));
        var second = new Deferred<object?>();
        var tail = second.AddCallback(_ => first);
        second.Callback(null);
        object? firstResult = "unset";
        first.AddCallback(r => firstResult = r);
        Assert.That(firstResult, Is.Null);
        FailureResultOf(tail, typeof(InvalidOperationException));
    }

    // twisted: test_defer.DeferredTests.test_asynchronousImplicitErrorChain
    [Test]
    public void LaterInnerFailureMovesToTheOuterDeferred()
    {
        var first = new Deferred<object?>();
        var second = new Deferred<object?>();
        var errors = new List<Failure>();
        var firstResults = new List<object?>();
        var secondResults = new List<object?>();
        second.AddCallback(_ => first).AddErrback(f => { errors.Add(f); return null; }).AddCallback(r => secondResults.Add(r));
        second.Callback(null);
        first.AddCallback(r => firstResults.Add(r));
        Assert.That(firstResults, Is.Empty);
        first.Errback(new InvalidOperationException("First Deferred's Failure"));
        Assert.That(errors[0].Check(typeof(InvalidOperationException)), Is.Not.Null);
        Assert.That(firstResults, Is.EqualTo(new object?[] { null }));
        Assert.That(secondResults, Has.Count.EqualTo(1));
    }

    // twisted: test_defer.DeferredTests.test_doubleAsynchronousImplicitChaining
    [Test]
    public void ChainingIsTransitive()
    {
        var first = new Deferred<object?>();
        var second = new Deferred<object?>();
        var secondTail = second.AddCallback(_ => first);
        var third = new Deferred<object?>();
        var results = new List<object?>();
        third.AddCallback(_ => secondTail).AddCallback(r => results.Add(r));
        second.Callback(null);
        third.Callback(null);
        Assert.That(results, Is.Empty);
        var result = new object();
        first.Callback(result);
        Assert.That(results, Is.EqualTo(new[] { result }));
    }

    // twisted: test_defer.DeferredTests.test_nestedAsynchronousChainedDeferreds
    [Test]
    public void NestedChainsContinueWhenTheInnermostFires()
    {
        var results = new List<string>();
        var failures = new List<Failure>();
        var inner = new Deferred<string>();
        Deferred<string> Cb(string result)
        {
            results.Add("start-of-cb " + result);
            var d = Deferred.Succeed("inner")
                .AddCallback(_ => { results.Add("firstCallback inner"); return inner; })
                .AddCallback(r => { results.Add("secondCallback " + r); return r + r; });
            return d.AddErrback(f => { failures.Add(f); return ""; });
        }
        Deferred.Succeed("outer").AddCallback(Cb).AddCallback(r => results.Add(r));
        Assert.That(results, Is.EqualTo(new[] { "start-of-cb outer", "firstCallback inner" }));
        inner.Callback("orange");
        Assert.That(failures, Is.Empty);
        Assert.That(results, Is.EqualTo(new[] { "start-of-cb outer", "firstCallback inner", "secondCallback orange", "orangeorange" }));
    }

    // twisted: test_defer.DeferredTests.test_nestedAsynchronousChainedDeferredsWithExtraCallbacks
    [Test]
    public void InnerDeferredsOwnCallbacksRunBeforeTheOuterChainContinues()
    {
        var results = new List<string>();
        var inner = new Deferred<string>();
        Deferred<string[]> Cb(string result)
        {
            results.Add("start-of-cb " + result);
            return Deferred.Succeed("inner")
                .AddCallback(r => { results.Add("firstCallback " + r); return inner.AddCallback(x => new[] { x }); })
                .AddCallback(r => { results.Add("secondCallback " + string.Join(",", r)); return r.Concat(r).ToArray(); });
        }
        Deferred.Succeed("outer").AddCallback(Cb).AddCallback(r => results.Add(string.Join(",", r)));
        inner.Callback("withers");
        Assert.That(results, Is.EqualTo(new[] { "start-of-cb outer", "firstCallback inner", "secondCallback withers", "withers,withers" }));
    }

    // twisted: test_defer.DeferredTests.test_chainDeferredRecordsExplicitChain (behaviour: chainDeferred fires the other)
    [Test]
    public void ChainDeferredFiresTheOtherDeferredWithTheResult()
    {
        var a = new Deferred<string>();
        var b = new Deferred<string>();
        var tail = b.ChainDeferred(a);
        b.Callback("x");
        Assert.That(SuccessResultOf(a), Is.EqualTo("x"));
        Assert.That(SuccessResultOf(tail), Is.Null);
    }

    // twisted: test_defer.DeferredTests.test_reprWithResult / test_reprWithChaining
    [Test]
    public void ToStringShowsTheResultOrWhatItWaitsOn()
    {
        Assert.That(Deferred.Succeed("orange").ToString(), Does.Contain("current result: orange"));
        var inner = new Deferred<int>();
        var outer = Deferred.Succeed(0);
        outer.AddCallback(_ => inner);
        Assert.That(outer.ToString(), Does.Contain("waiting on Deferred at 0x"));
    }

    // twisted: test_defer.DeferredTests.test_maybeDeferredSync
    [Test]
    public void MaybeDeferredWrapsAValue()
    {
        Assert.That(SuccessResultOf(Deferred.MaybeDeferred(() => 5)), Is.EqualTo(5));
    }

    // twisted: test_defer.DeferredTests.test_maybeDeferredSyncException
    [Test]
    public void MaybeDeferredWrapsAnException()
    {
        var d = Deferred.MaybeDeferred(int () => throw new GenericError("boom"));
        Assert.That(FailureResultOf(d, typeof(GenericError)).Value.Message, Is.EqualTo("boom"));
    }

    // twisted: test_defer.DeferredTests.test_maybeDeferredSyncFailure
    [Test]
    public void MaybeDeferredWrapsAReturnedFailure()
    {
        var f = new Failure(new KeyNotFoundException());
        Assert.That(FailureResultOf(Deferred.MaybeDeferred<object>(() => f), typeof(KeyNotFoundException)), Is.SameAs(f));
    }

    // twisted: test_defer.DeferredTests.test_maybeDeferredAsync
    [Test]
    public void MaybeDeferredPassesAReturnedDeferredThrough()
    {
        var d = new Deferred<string>();
        var d2 = Deferred.MaybeDeferred(() => d);
        Assert.That(d2, Is.SameAs(d));
        d.Callback("Success");
        Assert.That(SuccessResultOf(d2), Is.EqualTo("Success"));
    }

    // twisted: test_defer.DeferredTests.test_maybeDeferredAsyncError
    [Test]
    public void MaybeDeferredPassesAReturnedDeferredsFailureThrough()
    {
        var d = new Deferred<string>();
        var d2 = Deferred.MaybeDeferred(() => d);
        d.Errback(new GenericError());
        FailureResultOf(d2, typeof(GenericError));
    }

    [Test]
    public void MaybeDeferredOfAnActionFiresWithNull()
    {
        Assert.That(SuccessResultOf(Deferred.MaybeDeferred(() => { })), Is.Null);
        FailureResultOf(Deferred.MaybeDeferred(() => throw new GenericError()), typeof(GenericError));
    }

    [Test]
    public void MaybeDeferredAdoptsADeferredOfAnotherType()
    {
        var inner = new Deferred<string>();
        var d = Deferred.MaybeDeferred<object>(() => inner);
        AssertNoResult(d);
        inner.Callback("x");
        Assert.That(SuccessResultOf(d), Is.EqualTo("x"));
    }
}
