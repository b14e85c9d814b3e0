using Reactor.Defer;
using Reactor.Docs.Samples.Guides.Deferreds;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/deferreds.md: each sample driven by a Clock.</summary>
public class DeferredsGuideTests
{
    private static object? ResultOf<T>(Deferred<T> deferred)
    {
        object? result = null;
        deferred.AddCallbacks<object?>(value => result = value, failure => result = failure);
        return result;
    }

    [Test]
    public void TheChainDoublesANumberAndTurnsABadOneIntoMinusOne()
    {
        var clock = new Clock();
        var good = DeferredSamples.ParseLater(clock, "21");
        var bad = DeferredSamples.ParseLater(clock, "twenty-one");
        Assert.That(good.Called, Is.False, "nothing before the second has passed");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(ResultOf(good), Is.EqualTo(42));
        Assert.That(ResultOf(bad), Is.EqualTo(-1));
    }

    [Test]
    public void TheAsyncMethodAwaitsBothSteps()
    {
        var clock = new Clock();
        var greeting = DeferredSamples.Greet(clock, "ada");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(greeting.Called, Is.False, "waiting on the second step");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(ResultOf(greeting), Is.EqualTo("hello ada (6)"));
    }

    [Test]
    public void CancellingASleepCancelsItsTimer()
    {
        var clock = new Clock();
        var sleep = DeferredSamples.Sleep(clock, TimeSpan.FromMinutes(1));
        sleep.Cancel();
        Assert.That(clock.GetDelayedCalls(), Is.Empty, "the canceller freed the timer");
        Assert.That(ResultOf(sleep), Is.InstanceOf<Failure>().With.Property(nameof(Failure.Value)).InstanceOf<CancelledError>());
    }

    [Test]
    public void CancellingTheAsyncMethodCancelsWhatItAwaits()
    {
        var clock = new Clock();
        var greeting = DeferredSamples.Greet(clock, "ada");
        greeting.Cancel();
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
        Assert.That(ResultOf(greeting), Is.InstanceOf<Failure>().With.Property(nameof(Failure.Value)).InstanceOf<CancelledError>());
    }

    [Test]
    public void TheTimeoutFailsASlowSleepAndSparesAFastOne()
    {
        var clock = new Clock();
        var slow = DeferredSamples.SleepAtMostOneSecond(clock, TimeSpan.FromSeconds(5));
        var fast = DeferredSamples.SleepAtMostOneSecond(clock, TimeSpan.FromMilliseconds(500));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.That(fast.Called, Is.True);
        Assert.That(ResultOf(fast), Is.Null);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.That(ResultOf(slow), Is.InstanceOf<Failure>().With.Property(nameof(Failure.Value)).InstanceOf<TimeoutError>());
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void ACancellationTokenCancelsTheSleep()
    {
        var clock = new Clock();
        using var source = new CancellationTokenSource();
        var sleep = DeferredSamples.SleepUnlessCancelled(clock, TimeSpan.FromMinutes(1), source.Token);
        source.Cancel();
        Assert.That(ResultOf(sleep), Is.InstanceOf<Failure>().With.Property(nameof(Failure.Value)).InstanceOf<CancelledError>());
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void GatherResultsKeepsTheOrderGiven()
    {
        var clock = new Clock();
        var all = DeferredSamples.CountDown(clock);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(all.Called, Is.False);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(ResultOf(all), Is.EqualTo(new[] { 3, 1, 2 }));
    }
}
