using Reactor.Defer;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>Deferred.Cancel (Twisted's test_defer.DeferredCancellerTests), plus the fix for a throwing canceller.</summary>
public class CancellationTests
{
    private string? _callbackResult;
    private Failure? _errbackResult;
    private int _cancellerCalls;

    [SetUp]
    public void Reset()
    {
        _callbackResult = null;
        _errbackResult = null;
        _cancellerCalls = 0;
    }

    [TearDown]
    public void CancellerRanAtMostOnce() => Assert.That(_cancellerCalls, Is.AnyOf(0, 1));

    private void Watch(Deferred<string?> d) =>
        d.AddCallbacks(r => _callbackResult = r, f => { _errbackResult = f; return null; });

    // twisted: test_defer.DeferredCancellerTests.test_noCanceller
    [Test]
    public void WithoutACancellerCancelErrbacksWithCancelledError()
    {
        var d = new Deferred<string?>();
        Watch(d);
        d.Cancel();
        Assert.That(_errbackResult!.Type, Is.EqualTo(typeof(CancelledError)));
        Assert.That(_callbackResult, Is.Null);
    }

    // twisted: test_defer.DeferredCancellerTests.test_raisesAfterCancelAndCallback
    [Test]
    public void WithoutACancellerOneLateCallbackIsSwallowed()
    {
        var d = new Deferred<string?>();
        Watch(d);
        d.Cancel();
        d.Callback(null);
        Assert.Throws<AlreadyCalledError>(() => d.Callback(null));
        Assert.Throws<AlreadyCalledError>(() => d.Errback(new GenericError()));
    }

    // twisted: test_defer.DeferredCancellerTests.test_raisesAfterCancelAndErrback
    [Test]
    public void WithoutACancellerOneLateErrbackIsSwallowed()
    {
        var d = new Deferred<string?>();
        Watch(d);
        d.Cancel();
        d.Errback(new GenericError());
        Assert.Throws<AlreadyCalledError>(() => d.Callback(null));
        Assert.Throws<AlreadyCalledError>(() => d.Errback(new GenericError()));
    }

    // twisted: test_defer.DeferredCancellerTests.test_noCancellerMultipleCancelsAfterCancelAndCallback
    [Test]
    public void CancelsAfterTheSwallowedCallbackDoNothing()
    {
        var d = new Deferred<string?>();
        Watch(d);
        d.Cancel();
        var current = _errbackResult;
        d.Callback(null);
        d.Cancel();
        Assert.That(_errbackResult, Is.SameAs(current));
    }

    // twisted: test_defer.DeferredCancellerTests.test_noCancellerMultipleCancelsAfterCancelAndErrback
    [Test]
    public void CancelsAfterTheSwallowedErrbackDoNothing()
    {
        var d = new Deferred<string?>();
        Watch(d);
        d.Cancel();
        var current = _errbackResult;
        d.Errback(new GenericError());
        Assert.That(_errbackResult!.Type, Is.EqualTo(typeof(CancelledError)));
        d.Cancel();
        Assert.That(_errbackResult, Is.SameAs(current));
    }

    // twisted: test_defer.DeferredCancellerTests.test_noCancellerMultipleCancel
    [Test]
    public void RepeatedCancelsAreNoOps()
    {
        var d = new Deferred<string?>();
        Watch(d);
        d.Cancel();
        var current = _errbackResult;
        d.Cancel();
        Assert.That(_errbackResult, Is.SameAs(current));
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancellerMultipleCancel
    [Test]
    public void TheCancellerRunsOnlyOnce()
    {
        var d = new Deferred<string?>(_ => _cancellerCalls++);
        Watch(d);
        d.Cancel();
        var current = _errbackResult;
        d.Cancel();
        Assert.That(_errbackResult, Is.SameAs(current));
        Assert.That(_cancellerCalls, Is.EqualTo(1));
    }

    // twisted: test_defer.DeferredCancellerTests.test_simpleCanceller
    [Test]
    public void CancellerRunsAndLateResultsAreNotSwallowed()
    {
        var d = new Deferred<string?>(_ => _cancellerCalls++);
        Watch(d);
        d.Cancel();
        Assert.That(_cancellerCalls, Is.EqualTo(1));
        Assert.That(_errbackResult!.Type, Is.EqualTo(typeof(CancelledError)));
        Assert.Throws<AlreadyCalledError>(() => d.Callback(null));
        Assert.Throws<AlreadyCalledError>(() => d.Errback(new GenericError()));
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancellerArg
    [Test]
    public void CancellerReceivesTheDeferred()
    {
        Deferred<string?>? seen = null;
        var d = new Deferred<string?>(x => seen = x);
        Watch(d);
        d.Cancel();
        Assert.That(seen, Is.SameAs(d));
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancelAfterCallback
    [Test]
    public void CancellingAfterCallbackDoesNothing()
    {
        var d = new Deferred<string?>(x => { _cancellerCalls++; x.Errback(new GenericError()); });
        Watch(d);
        d.Callback("biff!");
        d.Cancel();
        Assert.That(_cancellerCalls, Is.Zero);
        Assert.That(_errbackResult, Is.Null);
        Assert.That(_callbackResult, Is.EqualTo("biff!"));
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancelAfterErrback
    [Test]
    public void CancellingAfterErrbackDoesNothing()
    {
        var d = new Deferred<string?>(x => { _cancellerCalls++; x.Errback(new GenericError()); });
        Watch(d);
        d.Errback(new GenericError());
        d.Cancel();
        Assert.That(_cancellerCalls, Is.Zero);
        Assert.That(_errbackResult!.Type, Is.EqualTo(typeof(GenericError)));
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancellerThatErrbacks
    [Test]
    public void CancellerThatErrbacksReplacesCancelledError()
    {
        var d = new Deferred<string?>(x => { _cancellerCalls++; x.Errback(new GenericError()); });
        Watch(d);
        d.Cancel();
        Assert.That(_cancellerCalls, Is.EqualTo(1));
        Assert.That(_errbackResult!.Type, Is.EqualTo(typeof(GenericError)));
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancellerThatCallbacks / research E7
    [Test]
    public void CancellerThatCallbacksGivesAResult()
    {
        var d = new Deferred<string?>(x => { _cancellerCalls++; x.Callback("hello!"); });
        Watch(d);
        d.Cancel();
        Assert.That(_cancellerCalls, Is.EqualTo(1));
        Assert.That(_callbackResult, Is.EqualTo("hello!"));
        Assert.That(_errbackResult, Is.Null);
    }

    // twisted: test_defer.DeferredCancellerTests.test_cancelNestedDeferred / research E8
    [Test]
    public void CancellingADeferredWaitingOnAnotherCancelsTheInnerOne()
    {
        var b = new Deferred<string?>(_ => _cancellerCalls++);
        var a = new Deferred<string?>(_ => Assert.Fail("the outer canceller must not run"));
        a.Callback(null);
        var chained = a.AddCallback(_ => b);
        a.Cancel();
        Watch(chained);
        Assert.That(_cancellerCalls, Is.EqualTo(1));
        Assert.That(_errbackResult!.Type, Is.EqualTo(typeof(CancelledError)));
    }

    // Twisted #6676 / #9534: a canceller that throws must not leave the Deferred pending.
    [Test]
    public void CancellerThatThrowsErrbacksWithItsException()
    {
        var d = new Deferred<string?>(_ => { _cancellerCalls++; throw new GenericError("canceller broke"); });
        Watch(d);
        Assert.DoesNotThrow(d.Cancel);
        Assert.That(_errbackResult!.Value, Is.TypeOf<GenericError>().With.Message.EqualTo("canceller broke"));
        // The operation may still complete later: that one late result is ignored.
        Assert.DoesNotThrow(() => d.Callback("late"));
    }

    [Test]
    public void CancelledErrorIsAnOperationCanceledException()
    {
        var d = new Deferred<string?>();
        d.Cancel();
        Assert.That(FailureResultOf(d).Value, Is.InstanceOf<OperationCanceledException>());
    }
}
