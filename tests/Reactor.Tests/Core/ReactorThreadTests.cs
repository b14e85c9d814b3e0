using Reactor.Core;

namespace Reactor.Tests.Core;

/// <summary>CallFromThread and the reactor's SynchronizationContext, on every selector backend.</summary>
[TestFixtureSource(typeof(LoopTestKit), nameof(LoopTestKit.Backends))]
public class ReactorThreadTests(Reactor.Selectors.SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private CountingSelector _selector = null!;

    [SetUp]
    public void SetUp() => _reactor = CountingSelector.CreateReactor(out _selector, kind);

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void CallFromAnotherThreadWakesTheBlockedLoop()
    {
        using var running = new ManualResetEventSlim();
        int loopThread = 0, ranOn = 0;
        _reactor.CallWhenRunning(() => { loopThread = Environment.CurrentManagedThreadId; running.Set(); });
        var producer = new Thread(() =>
        {
            running.Wait(LoopTestKit.Deadline);
            _reactor.CallFromThread(() => { ranOn = Environment.CurrentManagedThreadId; _reactor.Stop(); });
        });
        producer.Start();
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False, "the loop was not woken");
        producer.Join();
        Assert.That(ranOn, Is.EqualTo(loopThread));
    }

    [Test]
    public void CallsFromManyThreadsAllRunAndEachThreadsCallsKeepTheirOrder()
    {
        const int threads = 4, perThread = 2000;
        var seen = new List<(int Thread, int N)>();
        int done = 0;
        using var running = new ManualResetEventSlim();
        _reactor.CallWhenRunning(running.Set);
        var producers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            running.Wait(LoopTestKit.Deadline);
            for (int i = 0; i < perThread; i++)
            {
                int n = i;
                _reactor.CallFromThread(() =>
                {
                    seen.Add((t, n));
                    if (++done == threads * perThread) _reactor.Stop();
                });
            }
        })).ToList();
        producers.ForEach(p => p.Start());
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        producers.ForEach(p => p.Join());
        Assert.That(seen, Has.Count.EqualTo(threads * perThread));
        for (int t = 0; t < threads; t++)
        {
            Assert.That(seen.Where(s => s.Thread == t).Select(s => s.N), Is.EqualTo(Enumerable.Range(0, perThread)));
        }
    }

    // Twisted: test_internet.py testCallFromThreadStops — calls queued while draining run next iteration.
    [Test]
    public void CallQueuedWhileTheQueueRunsWaitsForTheNextIteration()
    {
        var order = new List<string>();
        _reactor.CallFromThread(() =>
        {
            order.Add("first");
            _reactor.CallFromThread(() => order.Add("second"));
        });
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "first" }));
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(order, Is.EqualTo(new[] { "first", "second" }));
    }

    [Test]
    public void CallFromThreadMadeWhileTheLoopIsAwakeCostsNoWake()
    {
        int ran = 0;
        _reactor.CallWhenRunning(() =>
        {
            // The loop is running our code, not waiting: none of these may touch the wake descriptor.
            for (int i = 0; i < 100; i++) _reactor.CallFromThread(() => ran++);
            _reactor.CallFromThread(_reactor.Stop);
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(ran, Is.EqualTo(100));
        Assert.That(_selector.Wakes, Is.EqualTo(0));
    }

    [Test]
    public void AwaitOnTheLoopResumesOnTheLoopThread()
    {
        int loopThread = 0;
        var resumedOn = new List<int>();
        bool contextInstalled = false;
        _reactor.CallWhenRunning(async () =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            contextInstalled = SynchronizationContext.Current is ReactorSynchronizationContext ctx && ctx.Reactor == _reactor;
            await CompletedByAnotherThreadOnceThisCallbackReturns().ConfigureAwait(true);
            resumedOn.Add(Environment.CurrentManagedThreadId);
            await CompletedByAnotherThreadOnceThisCallbackReturns();
            resumedOn.Add(Environment.CurrentManagedThreadId);
            _reactor.Stop();
        });
        var before = SynchronizationContext.Current;
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(contextInstalled, Is.True);
        Assert.That(resumedOn, Is.EqualTo(new[] { loopThread, loopThread }));
        Assert.That(SynchronizationContext.Current, Is.SameAs(before), "the previous context is restored after Run");
    }

    /// <summary>
    /// A task that another thread completes only after the current loop callback has returned
    /// (signalled by a zero-delay call, which runs on a later pass), so the awaiting code is
    /// certainly suspended and its continuation must be carried back to the loop: no sleeping.
    /// </summary>
    private Task CompletedByAnotherThreadOnceThisCallbackReturns()
    {
        var completion = new TaskCompletionSource();
        var callbackReturned = new ManualResetEventSlim();
        new Thread(() =>
        {
            if (callbackReturned.Wait(TimeSpan.FromSeconds(30))) completion.SetResult();
            else completion.SetException(new TimeoutException("the loop never ran the signalling call"));
            callbackReturned.Dispose();
        }) { IsBackground = true }.Start();
        _reactor.CallLater(TimeSpan.Zero, callbackReturned.Set);
        return completion.Task;
    }

    [Test]
    public void SendRunsInlineOnTheLoopAndBlocksUntilRunFromAnotherThread()
    {
        var context = _reactor.SynchronizationContext;
        int loopThread = 0;
        bool inline = false;
        int sentOn = 0;
        Exception? rethrown = null;
        _reactor.CallWhenRunning(() =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            bool flag = false;
            context.Send(_ => flag = true, null);
            inline = flag;
            new Thread(() =>
            {
                context.Send(_ => sentOn = Environment.CurrentManagedThreadId, null);
                try { context.Send(_ => throw new FormatException("sent"), null); }
                catch (Exception ex) { rethrown = ex; }
                _reactor.CallFromThread(_reactor.Stop);
            }).Start();
        });
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(inline, Is.True);
        Assert.That(sentOn, Is.EqualTo(loopThread));
        Assert.That(rethrown, Is.InstanceOf<FormatException>());
        Assert.That(context.CreateCopy(), Is.SameAs(context));
    }

    [Test]
    public void StopFromAnotherThreadIsHandedToTheLoop()
    {
        using var running = new ManualResetEventSlim();
        _reactor.CallWhenRunning(running.Set);
        var stopper = new Thread(() =>
        {
            running.Wait(LoopTestKit.Deadline);
            _reactor.Stop();
        });
        stopper.Start();
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        stopper.Join();
    }
}
