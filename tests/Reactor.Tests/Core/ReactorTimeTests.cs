using Reactor.Core;
using Reactor.Errors;
using Reactor.Time;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Core;

/// <summary>Timed calls on the real loop: the same rules as the Clock.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ReactorTimeTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void NowIsMonotonic()
    {
        var a = _reactor.Now;
        var b = _reactor.Now;
        Assert.That(b, Is.GreaterThanOrEqualTo(a));
        Assert.That(a, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
    }

    [Test]
    public void CallLaterFiresAndRunStopsFromIt()
    {
        bool fired = false;
        var call = _reactor.CallLater(TimeSpan.FromMilliseconds(20), () => { fired = true; _reactor.Stop(); });
        Assert.That(call.GetTime(), Is.GreaterThan(_reactor.Now - TimeSpan.FromSeconds(1)));
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(fired, Is.True);
        Assert.That(call.Active, Is.False);
        Assert.Throws<AlreadyCalled>(call.Cancel);
    }

    [Test]
    public void CallsDueTogetherRunInSchedulingOrder()
    {
        var order = new List<int>();
        for (int i = 0; i < 50; i++)
        {
            int n = i;
            _reactor.CallLater(TimeSpan.Zero, () => order.Add(n));
        }
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public void ZeroDelayCallFromACallRunsAtTheNextIteration()
    {
        var order = new List<string>();
        _reactor.CallLater(TimeSpan.Zero, () =>
        {
            order.Add("outer");
            _reactor.CallLater(TimeSpan.Zero, () => order.Add("inner"));
        });
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "outer" }));
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "outer", "inner" }));
    }

    [Test]
    public void WaitTimeoutIsZeroWhenACallIsDueBoundedByTheNextTimerAndByIterate()
    {
        using var reactor = CountingSelector.CreateReactor(out var selector);
        // A call scheduled during the pass is due now: the wait that follows must not block.
        reactor.CallLater(TimeSpan.Zero, () => reactor.CallLater(TimeSpan.Zero, () => { }));
        reactor.Iterate(TimeSpan.FromHours(1));
        Assert.That(selector.Timeouts[^1], Is.EqualTo(TimeSpan.Zero));
        reactor.Iterate(TimeSpan.Zero);

        // Nothing scheduled: Iterate's bound is the wait.
        reactor.Iterate(TimeSpan.FromMilliseconds(5));
        Assert.That(selector.Timeouts[^1], Is.EqualTo(TimeSpan.FromMilliseconds(5)));

        // A timer sooner than the bound shortens the wait to (at most) its due time.
        bool fired = false;
        int waitsBefore = selector.Timeouts.Count;
        reactor.CallLater(TimeSpan.FromMilliseconds(10), () => fired = true);
        LoopTestKit.IterateUntil(reactor, () => fired);
        Assert.That(selector.Timeouts[waitsBefore], Is.LessThanOrEqualTo(TimeSpan.FromMilliseconds(10)));
    }

    [Test]
    public void IdleRunWaitsWithoutLimitUntilWokenFromAThread()
    {
        using var reactor = CountingSelector.CreateReactor(out var selector);
        using var running = new ManualResetEventSlim();
        using var returned = new ManualResetEventSlim();
        bool hadToForce = false;
        reactor.CallWhenRunning(running.Set);
        var stopper = new Thread(() =>
        {
            running.Wait(LoopTestKit.Deadline);
            // Wait until the loop is blocked in an unbounded wait, then wake it with the stop.
            var until = DateTime.UtcNow + LoopTestKit.Deadline;
            while (!selector.Timeouts.Contains(null) && DateTime.UtcNow < until) Thread.Yield();
            reactor.CallFromThread(reactor.Stop);
            if (!returned.Wait(LoopTestKit.Deadline))
            {
                hadToForce = true;
                selector.ForceWake();
            }
        });
        stopper.Start();
        reactor.Run(); // no guard timer on purpose: it would bound the wait
        returned.Set();
        stopper.Join();
        Assert.That(hadToForce, Is.False, "CallFromThread did not wake the blocked loop");
        Assert.That(selector.Timeouts, Does.Contain(null));
        Assert.That(selector.Wakes, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void CallCancelledByAnEarlierCallInTheSameIterationDoesNotFire()
    {
        var order = new List<string>();
        IDelayedCall? victim = null;
        _reactor.CallLater(TimeSpan.Zero, () => { order.Add("first"); victim!.Cancel(); });
        victim = _reactor.CallLater(TimeSpan.Zero, () => order.Add("victim"));
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "first" }));
        Assert.Throws<AlreadyCancelled>(victim.Cancel);
    }

    [Test]
    public void GetDelayedCallsAndResetOnTheLoop()
    {
        var a = _reactor.CallLater(TimeSpan.FromHours(1), () => { });
        var b = _reactor.CallLater(TimeSpan.FromHours(2), () => { });
        Assert.That(_reactor.GetDelayedCalls(), Is.EquivalentTo(new[] { a, b }));
        bool ran = false;
        var c = _reactor.CallLater(TimeSpan.FromHours(3), () => ran = true);
        c.Reset(TimeSpan.Zero);
        LoopTestKit.IterateUntil(_reactor, () => ran);
        a.Cancel();
        b.Cancel();
        Assert.That(_reactor.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void PooledCallLaterRunsOnTheLoop()
    {
        var seen = new List<string>();
        var handle = _reactor.CallLater(TimeSpan.Zero, static (List<string> l) => l.Add("pooled"), seen);
        Assert.That(handle.Active, Is.True);
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(seen, Is.EqualTo(new[] { "pooled" }));
        Assert.That(handle.Active, Is.False);
    }

    [Test]
    public void AWaitEndsAtTheNextTimer()
    {
        // Nothing but a timer: Run must wake for it rather than block without limit.
        int fired = 0;
        _reactor.CallLater(TimeSpan.FromMilliseconds(30), () => fired++);
        _reactor.CallLater(TimeSpan.FromMilliseconds(60), () => { fired++; _reactor.Stop(); });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(fired, Is.EqualTo(2));
    }
}
