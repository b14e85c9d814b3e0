using Reactor.Defer;
using Reactor.Testing;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Testing;

// Mirrors twisted/trial/test/test_assertions.py, ResultOfAssertionsTests: the same cases and messages.
public class DeferredAssertTests
{
    private static Deferred<string> NoResult() => new();

    private static Deferred<string> Success() => Deferred.Succeed("success");

    private static Deferred<string> Failed(Exception e) => Deferred.Fail<string>(e);

    // test_withoutSuccessResult
    [Test]
    public void SuccessResultOfWithoutAResultSaysSo()
    {
        var d = NoResult();
        var e = Assert.Throws<DeferredAssertionException>(() => SuccessResultOf(d))!;
        Assert.That(e.Message, Is.EqualTo($"Success result expected on {d}, found no result instead"));
    }

    // test_successResultOfWithFailure, test_successResultOfWithFailureHasTraceback
    [Test]
    public void SuccessResultOfAFailureShowsItsTracebackAndHandlesIt()
    {
        using var unobserved = UnobservedFailures.Track();
        var d = Failed(new InvalidOperationException("boom"));
        var e = Assert.Throws<DeferredAssertionException>(() => SuccessResultOf(d))!;
        Assert.That(e.Message, Does.StartWith($"Success result expected on {d}, found failure result instead:\n"));
        Assert.That(e.Message, Does.Contain("System.InvalidOperationException: boom"));
        Assert.That(unobserved.Flush(), Is.Empty);
    }

    // test_withSuccessResult
    [Test]
    public void SuccessResultOfReturnsTheResultAndLeavesItInTheChain()
    {
        var d = Success();
        Assert.That(SuccessResultOf(d), Is.EqualTo("success"));
        string? later = null;
        d.AddCallback(r => later = r);
        Assert.That(later, Is.EqualTo("success"));
    }

    [Test]
    public void SuccessResultOfAPausedDeferredIsNoResult()
    {
        var d = Success();
        d.Pause();
        Assert.Throws<DeferredAssertionException>(() => SuccessResultOf(d));
        d.Unpause();
        Assert.That(SuccessResultOf(d), Is.EqualTo("success"));
    }

    // test_withoutFailureResult
    [Test]
    public void FailureResultOfWithoutAResultSaysSo()
    {
        var d = NoResult();
        var e = Assert.Throws<DeferredAssertionException>(() => FailureResultOf(d))!;
        Assert.That(e.Message, Is.EqualTo($"Failure result expected on {d}, found no result instead"));
    }

    // test_failureResultOfWithSuccess
    [Test]
    public void FailureResultOfASuccessShowsTheResult()
    {
        var d = Success();
        var e = Assert.Throws<DeferredAssertionException>(() => FailureResultOf(d))!;
        Assert.That(e.Message, Is.EqualTo($"Failure result expected on {d}, found success result (success) instead"));
    }

    // test_failureResultOfWithWrongFailureOneExpectedFailure
    [Test]
    public void FailureResultOfTheWrongTypeNamesTheExpectedAndFoundTypes()
    {
        var d = Failed(new InvalidOperationException("boom"));
        var e = Assert.Throws<DeferredAssertionException>(() => FailureResultOf(d, typeof(KeyNotFoundException)))!;
        Assert.That(e.Message, Does.StartWith(
            $"Failure of type (System.Collections.Generic.KeyNotFoundException) expected on {d}, found type System.InvalidOperationException instead: "));
        Assert.That(e.Message, Does.Contain("boom"));
    }

    // test_failureResultOfWithWrongFailureMultiExpectedFailures
    [Test]
    public void FailureResultOfSeveralExpectedTypesJoinsThemWithOr()
    {
        var d = Failed(new InvalidOperationException("boom"));
        var e = Assert.Throws<DeferredAssertionException>(
            () => FailureResultOf(d, typeof(KeyNotFoundException), typeof(IOException)))!;
        Assert.That(e.Message, Does.StartWith(
            $"Failure of type (System.Collections.Generic.KeyNotFoundException or System.IO.IOException) expected on {d}, found type System.InvalidOperationException instead: "));
    }

    // test_withExpectedFailureResult, test_withFailureResult
    [Test]
    public void FailureResultOfReturnsTheFailureAndHandlesIt()
    {
        using var unobserved = UnobservedFailures.Track();
        var boom = new InvalidOperationException("boom");
        Assert.That(FailureResultOf(Failed(boom)).Value, Is.SameAs(boom));
        Assert.That(FailureResultOf(Failed(boom), typeof(KeyNotFoundException), typeof(SystemException)).Value, Is.SameAs(boom));
        Assert.That(unobserved.Flush(), Is.Empty);
    }

    // test_assertNoResultSuccess
    [Test]
    public void AssertNoResultOnASuccessShowsTheResult()
    {
        var d = Success();
        var e = Assert.Throws<DeferredAssertionException>(() => AssertNoResult(d))!;
        Assert.That(e.Message, Is.EqualTo($"No result expected on {d}, found success instead"));
    }

    // test_assertNoResultFailure, test_assertNoResultSwallowsImmediateFailure
    [Test]
    public void AssertNoResultOnAFailureShowsItAndHandlesIt()
    {
        using var unobserved = UnobservedFailures.Track();
        var d = Failed(new InvalidOperationException("boom"));
        var e = Assert.Throws<DeferredAssertionException>(() => AssertNoResult(d))!;
        Assert.That(e.Message, Is.EqualTo($"No result expected on {d}, found [Failure instance: InvalidOperationException: boom] instead"));
        Assert.That(unobserved.Flush(), Is.Empty);
    }

    // test_assertNoResult, test_assertNoResultPropagatesSuccess, test_assertNoResultPropagatesLaterFailure
    [Test]
    public void AssertNoResultPassesOnAPendingDeferredAndLeavesItsLaterResultAlone()
    {
        using var unobserved = UnobservedFailures.Track();
        var ok = NoResult();
        AssertNoResult(ok);
        ok.Callback("later");
        Assert.That(SuccessResultOf(ok), Is.EqualTo("later"));

        var failing = NoResult();
        AssertNoResult(failing);
        failing.Errback(new InvalidOperationException("later"));
        Assert.That(unobserved.Flush().Single().Value.Message, Is.EqualTo("later"));
    }
}
