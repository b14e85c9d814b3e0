using Reactor.Defer;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>DeferredList, GatherResults and Race (Twisted's test_defer.DeferredTests / RaceTests).</summary>
public class DeferredListTests
{
    private static void FakeCallbackCanceller(Deferred<string> d) => d.Callback("Callback Result");

    // twisted: test_defer.DeferredTests.testDeferredList
    [Test]
    public void ListFiresWithEveryOutcomeInInputOrder()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var d3 = new Deferred<string>();
        var dl = new DeferredList<string>(new[] { d1, d2, d3 });
        IReadOnlyList<DeferredOutcome<string>>? result = null;
        dl.AddCallback(r => result = r);
        d1.Callback("1");
        d2.AddErrback(_ => "eaten");
        d2.Errback(new GenericError("2"));
        d3.Callback("3");
        Assert.That(result, Is.Not.Null);
        Assert.That(result![0].Succeeded && result[0].Value == "1");
        Assert.That(result[1].Succeeded, Is.False);
        Assert.That(result[1].Failure!.Value.Message, Is.EqualTo("2"));
        Assert.That(result[2].Succeeded && result[2].Value == "3");
        var (ok, value) = result[2];
        Assert.That(ok && (string?)value == "3");
    }

    // twisted: test_defer.DeferredTests.testEmptyDeferredList
    [Test]
    public void EmptyListFiresAtOnceUnlessFireOnOneCallback()
    {
        Assert.That(SuccessResultOf(new DeferredList<object?>(Array.Empty<Deferred<object?>>())), Is.Empty);
        AssertNoResult(new DeferredList<object?>(Array.Empty<Deferred<object?>>(), fireOnOneCallback: true));
    }

    // twisted: test_defer.DeferredListEmptyTests.testDeferredListEmpty
    [Test]
    public void EmptyListResultIsAnEmptyList()
    {
        IReadOnlyList<DeferredOutcome<int>>? seen = null;
        new DeferredList<int>(new List<Deferred<int>>()).AddCallback(r => seen = r);
        Assert.That(seen, Is.Empty);
    }

    // twisted: test_defer.DeferredTests.testDeferredListFireOnOneError
    [Test]
    public void FireOnOneErrbackFailsWithFirstErrorOnTheFirstFailure()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var d3 = new Deferred<string>();
        var dl = new DeferredList<string>(new[] { d1, d2, d3 }, fireOnOneErrback: true);
        var failures = new List<Failure>();
        dl.AddErrback(f => failures.Add(f));
        d2.AddErrback(_ => "eaten");
        d1.Callback("1");
        Assert.That(failures, Is.Empty);
        d2.Errback(new GenericError("from def2"));
        Assert.That(failures, Has.Count.EqualTo(1));
        var first = (FirstError)failures[0].Value;
        Assert.That(first.SubFailure.Type, Is.EqualTo(typeof(GenericError)));
        Assert.That(first.SubFailure.Value.Message, Is.EqualTo("from def2"));
        Assert.That(first.Index, Is.EqualTo(1));
    }

    // twisted: test_defer.DeferredTests.testDeferredListDontConsumeErrors
    [Test]
    public void WithoutConsumeErrorsTheFailureContinuesDownTheInput()
    {
        var d1 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1 });
        var trapped = new List<Failure>();
        var tail = d1.AddErrback(f => { trapped.Add(f); return null; });
        IReadOnlyList<DeferredOutcome<object?>>? results = null;
        dl.AddCallback(r => results = r);
        d1.Errback(new GenericError("Bang"));
        Assert.That(trapped.Single().Value.Message, Is.EqualTo("Bang"));
        Assert.That(results![0].Failure!.Value.Message, Is.EqualTo("Bang"));
        Assert.That(tail.Called);
    }

    // twisted: test_defer.DeferredTests.testDeferredListConsumeErrors
    [Test]
    public void ConsumeErrorsStopsTheFailureAfterRecordingIt()
    {
        var d1 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1 }, consumeErrors: true);
        var trapped = new List<Failure>();
        d1.AddErrback(f => { trapped.Add(f); return null; });
        IReadOnlyList<DeferredOutcome<object?>>? results = null;
        dl.AddCallback(r => results = r);
        d1.Errback(new GenericError("Bang"));
        Assert.That(trapped, Is.Empty);
        Assert.That(results![0].Failure!.Value.Message, Is.EqualTo("Bang"));
    }

    // twisted: test_defer.DeferredTests.testDeferredListFireOnOneErrorWithAlreadyFiredDeferreds
    [Test]
    public void FireOnOneErrbackWithAnAlreadyFailedInputFailsAtOnce()
    {
        var d1 = Deferred.Fail<object?>(new GenericError("Bang"));
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 }, fireOnOneErrback: true);
        FailureResultOf(dl, typeof(FirstError));
        d1.AddErrback(_ => null);
    }

    // twisted: test_defer.DeferredTests.testDeferredListWithAlreadyFiredDeferreds
    [Test]
    public void AlreadyFiredInputsAreRecordedByTheConstructor()
    {
        var d1 = Deferred.Fail<int>(new GenericError("Bang"));
        var d2 = Deferred.Succeed(2);
        var dl = new DeferredList<int>(new[] { d1, d2 });
        Assert.That(SuccessResultOf(dl), Has.Count.EqualTo(2));
        d1.AddErrback(_ => 0);
    }

    // twisted: research E12 — fireOnOneCallback fires with the first success and its index
    [Test]
    public void FireOnOneCallbackFiresWithTheFirstSuccessAndItsIndex()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var dl = new DeferredList<string>(new[] { d1, d2 }, fireOnOneCallback: true);
        d2.Callback("x");
        d1.Callback("y");
        var only = SuccessResultOf(dl).Single();
        Assert.That((only.Value, only.Index), Is.EqualTo(("x", 1)));
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredList
    [Test]
    public void CancellingTheListCancelsEveryInput()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 });
        dl.Cancel();
        FailureResultOf(d1, typeof(CancelledError));
        FailureResultOf(d2, typeof(CancelledError));
        var result = SuccessResultOf(dl);
        Assert.That(result.Select(o => o.Succeeded), Is.EqualTo(new[] { false, false }));
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListCallback
    [Test]
    public void CancelledListFiresWithTheOutcomesTheCancellersProduced()
    {
        var d1 = new Deferred<string>(FakeCallbackCanceller);
        var d2 = new Deferred<string>();
        var dl = new DeferredList<string>(new[] { d1, d2 });
        dl.Cancel();
        FailureResultOf(d2, typeof(CancelledError));
        var result = SuccessResultOf(dl);
        Assert.That(result[0].Succeeded && result[0].Value == "Callback Result");
        Assert.That(result[1].Failure!.Check(typeof(CancelledError)), Is.Not.Null);
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListWithFireOnOneCallback
    [Test]
    public void CancellingAFireOnOneCallbackListCancelsEveryInput()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 }, fireOnOneCallback: true);
        dl.Cancel();
        FailureResultOf(d1, typeof(CancelledError));
        FailureResultOf(d2, typeof(CancelledError));
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListWithFireOnOneCallbackAndDeferredCallback
    [Test]
    public void CancellingAFireOnOneCallbackListFiresWithACancellersSuccess()
    {
        var d1 = new Deferred<string>(FakeCallbackCanceller);
        var d2 = new Deferred<string>();
        var dl = new DeferredList<string>(new[] { d1, d2 }, fireOnOneCallback: true);
        dl.Cancel();
        FailureResultOf(d2, typeof(CancelledError));
        var only = SuccessResultOf(dl).Single();
        Assert.That((only.Value, only.Index), Is.EqualTo(("Callback Result", 0)));
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListWithFireOnOneErrback
    [Test]
    public void CancellingAFireOnOneErrbackListFailsWithFirstErrorOfCancelledError()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 }, fireOnOneErrback: true);
        dl.Cancel();
        FailureResultOf(d1, typeof(CancelledError));
        FailureResultOf(d2, typeof(CancelledError));
        var first = (FirstError)FailureResultOf(dl, typeof(FirstError)).Value;
        Assert.That(first.SubFailure.Check(typeof(CancelledError)), Is.Not.Null);
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListWithFireOnOneErrbackAllDeferredsCallback
    [Test]
    public void CancellingAFireOnOneErrbackListWhoseCancellersSucceedFiresWithTheList()
    {
        var d1 = new Deferred<string>(FakeCallbackCanceller);
        var d2 = new Deferred<string>(FakeCallbackCanceller);
        var dl = new DeferredList<string>(new[] { d1, d2 }, fireOnOneErrback: true);
        dl.Cancel();
        var result = SuccessResultOf(dl);
        Assert.That(result.Select(o => o.Value), Is.EqualTo(new[] { "Callback Result", "Callback Result" }));
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListWithOriginalDeferreds
    [Test]
    public void CancellingTheListOnlyCancelsTheDeferredsItWasGiven()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var arguments = new List<Deferred<object?>> { d1, d2 };
        var dl = new DeferredList<object?>(arguments);
        var d3 = new Deferred<object?>();
        arguments.Add(d3);
        dl.Cancel();
        FailureResultOf(d1, typeof(CancelledError));
        FailureResultOf(d2, typeof(CancelledError));
        AssertNoResult(d3);
    }

    // twisted: test_defer.DeferredTests.test_cancelDeferredListWithException
    [Test]
    public void CancellingTheListCancelsEveryInputEvenIfACancellerThrows()
    {
        var d1 = new Deferred<object?>(_ => throw new InvalidOperationException("test"));
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 });
        dl.Cancel();
        FailureResultOf(d2, typeof(CancelledError));
        // Here a throwing canceller fails its Deferred with the exception instead of leaving it pending.
        FailureResultOf(d1, typeof(InvalidOperationException));
        Assert.That(SuccessResultOf(dl), Has.Count.EqualTo(2));
    }

    // twisted: test_defer.DeferredTests.test_cancelFiredOnOneCallbackDeferredList
    [Test]
    public void CancellingAListFiredByOneCallbackDoesNothing()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 }, fireOnOneCallback: true);
        d1.Callback(null);
        dl.Cancel();
        AssertNoResult(d2);
    }

    // twisted: test_defer.DeferredTests.test_cancelFiredOnOneErrbackDeferredList
    [Test]
    public void CancellingAListFiredByOneErrbackDoesNothing()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var dl = new DeferredList<object?>(new[] { d1, d2 }, fireOnOneErrback: true);
        d1.Errback(new GenericError("test"));
        dl.Cancel();
        AssertNoResult(d2);
        FailureResultOf(d1, typeof(GenericError));
        FailureResultOf(dl, typeof(FirstError));
    }

    // twisted: test_defer.DeferredTests.test_gatherResults
    [Test]
    public void GatherResultsFiresWithTheValuesInOrderOrTheFirstError()
    {
        var ok = Deferred.GatherResults(new[] { Deferred.Succeed(1), Deferred.Succeed(2) });
        Assert.That(SuccessResultOf(ok), Is.EqualTo(new[] { 1, 2 }));
        var failing = Deferred.Fail<int>(new ArgumentException());
        var bad = Deferred.GatherResults(new[] { Deferred.Succeed(1), failing });
        var first = (FirstError)FailureResultOf(bad, typeof(FirstError)).Value;
        Assert.That((first.SubFailure.Type, first.Index), Is.EqualTo((typeof(ArgumentException), 1)));
        failing.AddErrback(_ => 0);
    }

    // twisted: test_defer.DeferredTests.test_gatherResultsWithConsumeErrors
    [Test]
    public void GatherResultsWithConsumeErrorsHandlesTheInputsFailure()
    {
        var dgood = Deferred.Succeed(1);
        var dbad = Deferred.Fail<int>(new InvalidOperationException("oh noes"));
        var d = Deferred.GatherResults(new[] { dgood, dbad }, consumeErrors: true);
        int? after = null;
        dbad.AddCallback(r => after = r);
        Assert.That(after, Is.EqualTo(0));
        var first = (FirstError)FailureResultOf(d, typeof(FirstError)).Value;
        Assert.That(first.SubFailure.Check(typeof(InvalidOperationException)), Is.Not.Null);
    }

    // twisted: test_defer.DeferredTests.test_cancelGatherResults
    [Test]
    public void CancellingGatherResultsCancelsTheInputs()
    {
        var d1 = new Deferred<object?>();
        var d2 = new Deferred<object?>();
        var result = Deferred.GatherResults(new[] { d1, d2 });
        result.Cancel();
        FailureResultOf(d1, typeof(CancelledError));
        FailureResultOf(d2, typeof(CancelledError));
        var first = (FirstError)FailureResultOf(result, typeof(FirstError)).Value;
        Assert.That(first.SubFailure.Check(typeof(CancelledError)), Is.Not.Null);
    }

    // twisted: test_defer.DeferredTests.test_cancelGatherResultsWithAllDeferredsCallback
    [Test]
    public void CancellingGatherResultsWhoseCancellersSucceedFiresWithTheirValues()
    {
        var d1 = new Deferred<string>(FakeCallbackCanceller);
        var d2 = new Deferred<string>(FakeCallbackCanceller);
        var result = Deferred.GatherResults(new[] { d1, d2 });
        result.Cancel();
        Assert.That(SuccessResultOf(result), Is.EqualTo(new[] { "Callback Result", "Callback Result" }));
    }

    private static (int[] Cancelled, Deferred<object?>[] Ds) RaceState(int n)
    {
        var cancelled = new int[n];
        var ds = new Deferred<object?>[n];
        for (int i = 0; i < n; i++)
        {
            int index = i;
            ds[i] = new Deferred<object?>(_ => cancelled[index]++);
        }
        return (cancelled, ds);
    }

    // twisted: test_defer.RaceTests.test_success
    [TestCase(0, 0)]
    [TestCase(2, 1)]
    [TestCase(3, 3)]
    public void RaceFiresWithTheFirstSuccessAndCancelsTheRest(int before, int after)
    {
        var (cancelled, ds) = RaceState(before + 1 + after);
        var race = Deferred.Race(ds);
        var expected = new object();
        ds[before].Callback(expected);
        var (index, result) = SuccessResultOf(race);
        Assert.That(index, Is.EqualTo(before));
        Assert.That(result, Is.SameAs(expected));
        var expectedCancelled = Enumerable.Repeat(1, before).Append(0).Concat(Enumerable.Repeat(1, after));
        Assert.That(cancelled, Is.EqualTo(expectedCancelled));
    }

    // twisted: test_defer.RaceTests.test_failure
    [TestCase(0, 0)]
    [TestCase(1, 2)]
    public void RaceFailsWithAFailureGroupWhenEveryInputFails(int before, int after)
    {
        var (cancelled, ds) = RaceState(before + 1 + after);
        var failure = new Failure(new GenericError("The test demands failures."));
        var race = Deferred.Race(ds);
        foreach (var d in ds) d.Errback(failure);
        var group = (FailureGroup)FailureResultOf(race, typeof(FailureGroup)).Value;
        Assert.That(group.Failures, Is.EqualTo(Enumerable.Repeat(failure, ds.Length)));
        Assert.That(cancelled, Is.All.EqualTo(0));
    }

    // twisted: test_defer.RaceTests.test_resultAfterCancel
    [Test]
    public void RaceIgnoresALoserThatFiresAfterBeingCancelled()
    {
        var ds = new[] { new Deferred<object?>(), new Deferred<object?>(), new Deferred<object?>() };
        using var unobserved = UnobservedFailures.Track();
        var race = Deferred.Race(ds);
        ds[1].Callback(null);
        ds[2].Callback(null);
        SuccessResultOf(race);
        unobserved.AssertNone();
    }

    // twisted: test_defer.RaceTests.test_resultFromCancel
    [Test]
    public void RaceSurvivesALoserWhoseCancellerSucceeds()
    {
        var winner = new Deferred<object?>();
        var loser = new Deferred<object?>(d => d.Callback(new object()));
        var race = Deferred.Race(winner, loser);
        var expected = new object();
        winner.Callback(expected);
        Assert.That(SuccessResultOf(race), Is.EqualTo((0, expected)));
    }

    // twisted: test_defer.RaceTests.test_cancel
    [TestCase(1)]
    [TestCase(3)]
    public void CancellingTheRaceCancelsEveryInput(int n)
    {
        var (cancelled, ds) = RaceState(n);
        var race = Deferred.Race(ds);
        race.Cancel();
        Assert.That(cancelled, Is.All.EqualTo(1));
        FailureResultOf(race, typeof(FailureGroup));
    }

    // twisted: test_defer.FirstErrorTests.test_str
    [Test]
    public void FirstErrorNamesTheIndexAndTheFailure()
    {
        var error = new FirstError(new Failure(new GenericError("some text")), 5);
        Assert.That(error.Message, Is.EqualTo("FirstError[#5, GenericError: some text]"));
        Assert.That(error.InnerException, Is.TypeOf<GenericError>());
    }
}
