using Microsoft.Extensions.Time.Testing;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Tests.Core;

/// <summary>
/// The TimeProvider bridge both ways. No Twisted counterpart for the .NET side; the IDelayedCall
/// semantics over a TimeProvider mirror twisted.test.test_task.ClockTests.
/// </summary>
public class TimeProviderBridgeTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Test]
    public void TaskDelayAndTimedCancellationRunOnAClockThroughTheProvider()
    {
        var clock = new Clock();
        var provider = clock.AsTimeProvider();
        var delay = Task.Delay(OneSecond, provider);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2), provider);
        Assert.That(delay.IsCompleted, Is.False);
        clock.Advance(OneSecond);
        Assert.That(delay.IsCompletedSuccessfully, Is.True);
        Assert.That(cts.IsCancellationRequested, Is.False);
        clock.Advance(OneSecond);
        Assert.That(cts.IsCancellationRequested, Is.True);
    }

    [Test]
    public void ProviderTimestampsAndUtcNowMoveWithTheClock()
    {
        var clock = new Clock();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var provider = new ReactorTimeProvider(clock, start);
        long t0 = provider.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.That(provider.GetElapsedTime(t0), Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(provider.GetUtcNow(), Is.EqualTo(start.AddSeconds(90)));
    }

    [Test]
    public void PeriodicTimerFiresEachPeriodUntilChangedOrDisposed()
    {
        var clock = new Clock();
        int fired = 0;
        var timer = clock.AsTimeProvider().CreateTimer(_ => fired++, null, OneSecond, OneSecond);
        clock.Pump([OneSecond, OneSecond, OneSecond]);
        Assert.That(fired, Is.EqualTo(3));
        Assert.That(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan), Is.True);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(fired, Is.EqualTo(3));
        timer.Change(TimeSpan.Zero, TimeSpan.Zero);
        clock.Advance(TimeSpan.Zero);
        Assert.That(fired, Is.EqualTo(4));
        timer.Dispose();
        Assert.That(timer.Change(OneSecond, OneSecond), Is.False);
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void ThreadPoolCodeAwaitsARunningReactorsProvider()
    {
        using var reactor = ReactorLoop.Create();
        var provider = reactor.AsTimeProvider();
        int? callbackThread = null;
        int reactorThread = Environment.CurrentManagedThreadId;
        var work = Task.Run(async () =>
        {
            var fired = new TaskCompletionSource();
            await using var timer = provider.CreateTimer(_ => { callbackThread = Environment.CurrentManagedThreadId; fired.TrySetResult(); }, null, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
            await Task.Delay(TimeSpan.FromMilliseconds(1), provider);
            await fired.Task;
        });
        work.ContinueWith(_ => reactor.Stop(), TaskScheduler.Default);
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False, "the timers handed over from the thread pool never fired");
        Assert.That(work.IsCompletedSuccessfully, Is.True);
        Assert.That(callbackThread, Is.EqualTo(reactorThread));
    }

    // twisted: test_task.ClockTests.testCallLater / testAdvanceCancel / testCallLaterDelayed / testCallLaterResetLater
    [Test]
    public void DelayedCallsOverAFakeTimeProviderKeepTwistedsSemantics()
    {
        var fake = new FakeTimeProvider();
        var time = fake.AsReactorTime();
        var events = new List<string>();
        var a = time.CallLater(OneSecond, () => events.Add("a"));
        var b = time.CallLater(TimeSpan.FromSeconds(2), () => events.Add("b"));
        var c = time.CallLater(TimeSpan.FromSeconds(3), () => events.Add("c"));
        Assert.That(time.GetDelayedCalls(), Has.Count.EqualTo(3));
        b.Cancel();
        Assert.That(b.Active, Is.False);
        Assert.Throws<AlreadyCancelled>(b.Cancel);
        c.Delay(TimeSpan.FromSeconds(2));
        Assert.That(c.GetTime(), Is.EqualTo(TimeSpan.FromSeconds(5)));
        fake.Advance(TimeSpan.FromSeconds(3));
        Assert.That(events, Is.EqualTo(new[] { "a" }));
        Assert.Throws<AlreadyCalled>(a.Cancel);
        c.Reset(OneSecond);
        fake.Advance(OneSecond);
        Assert.That(events, Is.EqualTo(new[] { "a", "c" }));
        Assert.That(time.Now, Is.EqualTo(TimeSpan.FromSeconds(4)));
        Assert.That(time.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_task.LoopingCallTests.testBasicFunction (a LoopingCall driven by another clock)
    [Test]
    public void LoopingCallRunsOnAFakeTimeProvider()
    {
        var fake = new FakeTimeProvider();
        int runs = 0;
        var loop = new LoopingCall(fake.AsReactorTime(), () => { runs++; });
        loop.Start(OneSecond, now: true);
        fake.Advance(OneSecond);
        fake.Advance(OneSecond);
        loop.Stop();
        Assert.That(runs, Is.EqualTo(3));
    }

    // twisted: test_task.ClockTests (an exception raised by a timed call propagates out of advance)
    [Test]
    public void WithoutADispatcherACallThatThrowsPropagatesOutOfAdvance()
    {
        var fake = new FakeTimeProvider();
        fake.AsReactorTime().CallLater(OneSecond, () => throw new GenericErrorForTime());
        Assert.Throws<GenericErrorForTime>(() => fake.Advance(OneSecond));
    }

    [Test]
    public void WithAReactorAsDispatcherCallsRunOnTheReactorThread()
    {
        using var reactor = ReactorLoop.Create();
        var time = TimeProvider.System.AsReactorTime(reactor);
        int reactorThread = Environment.CurrentManagedThreadId;
        int? ranOn = null;
        time.CallLater(TimeSpan.FromMilliseconds(1), () => { ranOn = Environment.CurrentManagedThreadId; reactor.Stop(); });
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(ranOn, Is.EqualTo(reactorThread));
    }

    [Test]
    public void BridgingBackReturnsTheOriginal()
    {
        var clock = new Clock();
        Assert.That(clock.AsTimeProvider().AsReactorTime(), Is.SameAs(clock));
        var fake = new FakeTimeProvider();
        Assert.That(fake.AsReactorTime().AsTimeProvider(), Is.SameAs(fake));
    }

    private sealed class GenericErrorForTime : Exception;
}
