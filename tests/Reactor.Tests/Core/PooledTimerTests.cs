using Reactor.Core;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Tests.Core;

/// <summary>CallLater&lt;TState&gt; and its recycled entries, driven by the Clock.</summary>
public class PooledTimerTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void PooledCallRunsWithItsStateInFifoOrderWithPlainCalls()
    {
        var c = new Clock();
        var order = new List<string>();
        c.CallLater(S(1), s => order.Add(s), "pooled-1");
        c.CallLater(S(1), () => order.Add("plain"));
        c.CallLater(S(1), s => order.Add(s), "pooled-2");
        c.Advance(S(1));
        Assert.That(order, Is.EqualTo(new[] { "pooled-1", "plain", "pooled-2" }));
    }

    [Test]
    public void HandleReportsActiveUntilRunAndThenNeverAgain()
    {
        var c = new Clock();
        var h = c.CallLater(S(1), static (List<int> l) => l.Add(1), new List<int>());
        Assert.That(h.Active, Is.True);
        Assert.That(h.GetTime(), Is.EqualTo(S(1)));
        c.Advance(S(1));
        Assert.That(h.Active, Is.False);
        Assert.That(h.TryCancel(), Is.False);
        Assert.Throws<InvalidOperationException>(() => h.GetTime());
    }

    [Test]
    public void StaleHandleDoesNotCancelTheRecycledEntrysNextUse()
    {
        var c = new Clock();
        int runs = 0;
        var first = c.CallLater(S(1), static (Counter k) => k.Value++, new Counter());
        Assert.That(first.TryCancel(), Is.True);
        Assert.That(first.TryCancel(), Is.False);

        var counter = new Counter();
        var second = c.CallLater(S(1), static (Counter k) => k.Value++, counter);
        Assert.That(first.Active, Is.False);
        Assert.That(first.TryCancel(), Is.False, "the stale handle must not reach the reused entry");
        Assert.That(second.Active, Is.True);
        c.Advance(S(1));
        runs = counter.Value;
        Assert.That(runs, Is.EqualTo(1));
        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public void PooledCallCancelledByAnEarlierCallDoesNotRun()
    {
        var c = new Clock();
        var counter = new Counter();
        TimerHandle victim = default;
        c.CallLater(S(1), () => victim.TryCancel());
        victim = c.CallLater(S(1), static (Counter k) => k.Value++, counter);
        c.Advance(S(1));
        Assert.That(counter.Value, Is.EqualTo(0));
    }

    [Test]
    public void PooledCallsAppearInGetDelayedCallsAndCanBeCancelledThere()
    {
        var c = new Clock();
        var counter = new Counter();
        c.CallLater(S(1), static (Counter k) => k.Value++, counter);
        var views = c.GetDelayedCalls();
        Assert.That(views, Has.Count.EqualTo(1));
        Assert.That(views[0].GetTime(), Is.EqualTo(S(1)));
        views[0].Cancel();
        Assert.That(views[0].Active, Is.False);
        Assert.Throws<AlreadyCalled>(views[0].Cancel);
        c.Advance(S(1));
        Assert.That(counter.Value, Is.EqualTo(0));
    }

    [Test]
    public void DefaultHandleRefersToNothing()
    {
        TimerHandle h = default;
        Assert.That(h.Active, Is.False);
        Assert.That(h.TryCancel(), Is.False);
    }

    [Test]
    public void InterfaceDefaultImplementationWrapsAPlainCall()
    {
        // An IReactorTime that does not pool still offers CallLater<TState> through the interface.
        var plain = new NonPoolingTime(new Clock());
        var counter = new Counter();
        var h = ((IReactorTime)plain).CallLater(S(1), static (Counter k) => k.Value++, counter);
        Assert.That(h.Active, Is.True);
        plain.Inner.Advance(S(1));
        Assert.That(counter.Value, Is.EqualTo(1));
        Assert.That(h.Active, Is.False);
        Assert.That(h.TryCancel(), Is.False);
    }

    [Test]
    public void MillionScheduleAndCancelPairsLeaveTheHeapFlat()
    {
        var c = new Clock();
        for (int i = 0; i < 1_000_000; i++)
        {
            c.CallLater(S(1 + (i % 1000)), () => { }).Cancel();
            c.CallLater(S(1 + (i % 7)), static (int _) => { }, i).TryCancel();
        }
        Assert.That(c.Queue.Count, Is.EqualTo(0));
        Assert.That(c.Queue.Capacity, Is.LessThanOrEqualTo(64));
    }

    [Test]
    public void HeapShrinksAfterASpikeIsCancelled()
    {
        var c = new Clock();
        var calls = new List<IDelayedCall>();
        for (int i = 0; i < 100_000; i++) calls.Add(c.CallLater(S(i % 977), () => { }));
        Assert.That(c.Queue.Count, Is.EqualTo(100_000));
        int peak = c.Queue.Capacity;
        foreach (var call in calls) call.Cancel();
        Assert.That(c.Queue.Count, Is.EqualTo(0));
        Assert.That(c.Queue.Capacity, Is.LessThanOrEqualTo(peak / 32), "the cancels themselves give most memory back");
        // Idle passes give back the rest, gradually.
        for (int i = 0; i < 20 * 1024; i++) c.Advance(TimeSpan.Zero);
        Assert.That(c.Queue.Capacity, Is.LessThanOrEqualTo(64));
    }

    [Test]
    public void HeapThatEmptiesAndRefillsEveryPassKeepsItsArray()
    {
        // A batch of timers per pass must not make the heap array shrink and regrow each time.
        var c = new Clock();
        var counter = new Counter();
        for (int i = 0; i < 1000; i++) c.CallLater(TimeSpan.Zero, static (Counter k) => k.Value++, counter);
        c.Advance(TimeSpan.Zero);
        int capacity = c.Queue.Capacity;
        for (int pass = 0; pass < 3000; pass++)
        {
            for (int i = 0; i < 1000; i++) c.CallLater(TimeSpan.Zero, static (Counter k) => k.Value++, counter);
            c.Advance(TimeSpan.Zero);
            Assert.That(c.Queue.Capacity, Is.EqualTo(capacity), $"pass {pass}");
        }
    }

    [Test]
    public void ManyRandomTimersRunInDueThenSchedulingOrder()
    {
        var c = new Clock();
        var rng = new Random(12345);
        var fired = new List<(long Due, int Seq)>();
        var cancelled = new HashSet<int>();
        var calls = new List<IDelayedCall>();
        for (int i = 0; i < 5000; i++)
        {
            long due = rng.Next(0, 200);
            int seq = i;
            calls.Add(c.CallLater(TimeSpan.FromTicks(due), () => fired.Add((due, seq))));
        }
        for (int i = 0; i < 5000; i += 3) { calls[i].Cancel(); cancelled.Add(i); }
        c.Advance(TimeSpan.FromTicks(1000));
        Assert.That(fired, Has.Count.EqualTo(5000 - cancelled.Count));
        Assert.That(fired, Is.EqualTo(fired.OrderBy(f => f.Due).ThenBy(f => f.Seq).ToList()));
        Assert.That(fired.Select(f => f.Seq).Intersect(cancelled), Is.Empty);
    }

    private sealed class Counter
    {
        public int Value;
    }

    private sealed class NonPoolingTime(Clock inner) : IReactorTime
    {
        public Clock Inner => inner;
        public TimeSpan Now => inner.Now;
        public IDelayedCall CallLater(TimeSpan delay, Action action) => inner.CallLater(delay, action);
        public IReadOnlyList<IDelayedCall> GetDelayedCalls() => inner.GetDelayedCalls();
    }
}
