using Microsoft.Extensions.Logging;
using Reactor.Core.Threading;
using Reactor.Core;

namespace Reactor.Tests.Core.Threading;

public class ReactorThreadPoolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Test]
    public void WorkRunsOnAWorkerThreadNamedAfterThePool()
    {
        using var pool = new ReactorThreadPool(0, 2, "Workers");
        pool.Start();
        string? name = null;
        var done = new ManualResetEventSlim();
        pool.CallInThread(() =>
        {
            name = Thread.CurrentThread.Name;
            done.Set();
        });
        Assert.That(done.Wait(Deadline), Is.True);
        Assert.That(name, Does.StartWith("Workers-"));
    }

    [Test]
    public void WorkQueuedBeforeStartRunsOnceStarted()
    {
        using var pool = new ReactorThreadPool(0, 2);
        var done = new CountdownEvent(3);
        for (int i = 0; i < 3; i++) pool.CallInThread(() => done.Signal());
        Assert.That(pool.PendingCount, Is.EqualTo(3));
        Assert.That(pool.WorkerCount, Is.Zero);
        pool.Start();
        Assert.That(done.Wait(Deadline), Is.True);
    }

    [Test]
    public void NeverRunsMoreThanMaxThreadsAtOnce()
    {
        using var gate = new ManualResetEventSlim();
        var pool = new ReactorThreadPool(0, 2);
        pool.Start();
        var started = new CountdownEvent(2);
        var finished = 0;
        for (int i = 0; i < 5; i++)
        {
            pool.CallInThread(() =>
            {
                if (!started.IsSet) started.Signal();
                gate.Wait();
                Interlocked.Increment(ref finished);
            });
        }
        Assert.That(started.Wait(Deadline), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(pool.WorkerCount, Is.EqualTo(2));
            Assert.That(pool.BusyCount, Is.EqualTo(2));
            Assert.That(pool.PendingCount, Is.EqualTo(3));
        });
        gate.Set();
        pool.Stop();
        Assert.That(finished, Is.EqualTo(5));
    }

    [Test]
    public void StopWithBusyWorkersDrainsTheBacklogThenJoinsEveryWorker()
    {
        using var gate = new ManualResetEventSlim();
        var logger = new RecordingLogger();
        var pool = new ReactorThreadPool(0, 2, logger: logger);
        pool.Start();
        var started = new CountdownEvent(2);
        var finished = 0;
        for (int i = 0; i < 6; i++)
        {
            pool.CallInThread(() =>
            {
                if (!started.IsSet) started.Signal();
                gate.Wait();
                Interlocked.Increment(ref finished);
            });
        }
        Assert.That(started.Wait(Deadline), Is.True);

        // Both workers are blocked: a stop that may not wait reports them still busy...
        Assert.That(pool.Stop(TimeSpan.Zero), Is.False);
        Assert.That(logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("still busy")), Is.True);
        // ...and from then on the pool refuses new work.
        Assert.Throws<InvalidOperationException>(() => pool.CallInThread(() => { }));
        Assert.Throws<InvalidOperationException>(pool.Start);

        gate.Set();
        Assert.That(pool.Stop(Deadline), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(finished, Is.EqualTo(6), "every queued item runs before the workers exit");
            Assert.That(pool.WorkerCount, Is.Zero);
            Assert.That(pool.Started, Is.False);
        });
    }

    [Test]
    public void AStoppedPoolCanBeStartedAgain()
    {
        var pool = new ReactorThreadPool(1, 1);
        pool.Start();
        pool.Stop();
        pool.Start();
        var done = new ManualResetEventSlim();
        pool.CallInThread(done.Set);
        Assert.That(done.Wait(Deadline), Is.True);
        pool.Stop();
        Assert.That(pool.WorkerCount, Is.Zero);
    }

    [Test]
    public void StoppingFromInsideAWorkItemDoesNotWaitForItself()
    {
        var pool = new ReactorThreadPool(0, 1);
        pool.Start();
        var result = new TaskCompletionSource<bool>();
        pool.CallInThread(() => result.SetResult(pool.Stop(Deadline)));
        Assert.That(result.Task.Wait(Deadline), Is.True);
        Assert.That(result.Task.Result, Is.True);
    }

    [Test]
    public void AnExceptionInWorkIsLoggedWithItsStackAndTheWorkerCarriesOn()
    {
        var logger = new RecordingLogger();
        using var pool = new ReactorThreadPool(0, 1, logger: logger);
        pool.Start();
        pool.CallInThread(() => throw new InvalidTimeZoneException("boom"));
        var after = new ManualResetEventSlim();
        pool.CallInThread(after.Set);
        Assert.That(after.Wait(Deadline), Is.True);
        Assert.That(logger.Logged.Wait(Deadline), Is.True);
        var entry = logger.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Level, Is.EqualTo(LogLevel.Error));
            Assert.That(entry.Exception, Is.TypeOf<InvalidTimeZoneException>());
            Assert.That(entry.Exception!.StackTrace, Is.Not.Null);
        });
    }

    [Test]
    public void CallInThreadWithCallbackReportsTheResultOrTheException()
    {
        using var pool = new ReactorThreadPool(0, 2);
        pool.Start();
        var ok = new TaskCompletionSource<(int, Exception?)>();
        var bad = new TaskCompletionSource<(int, Exception?)>();
        pool.CallInThreadWithCallback(() => 42, (r, e) => ok.SetResult((r, e)));
        pool.CallInThreadWithCallback<int>(() => throw new FormatException("x"), (r, e) => bad.SetResult((r, e)));
        Assert.That(Task.WaitAll([ok.Task, bad.Task], Deadline), Is.True);
        Assert.That(ok.Task.Result, Is.EqualTo((42, (Exception?)null)));
        Assert.That(bad.Task.Result.Item2, Is.TypeOf<FormatException>());
    }

    [Test]
    public void StoppingAPoolThatNeverStartedDiscardsItsBacklogLoudly()
    {
        var logger = new RecordingLogger();
        var pool = new ReactorThreadPool(0, 1, logger: logger);
        pool.CallInThread(() => { });
        pool.Stop();
        Assert.That(pool.PendingCount, Is.Zero);
        Assert.That(logger.Entries.Single().Message, Does.Contain("1 queued item(s) discarded"));
    }

    [Test]
    public void AdjustPoolSizeGrowsAStartedPoolForItsBacklog()
    {
        using var gate = new ManualResetEventSlim();
        var pool = new ReactorThreadPool(0, 1);
        pool.Start();
        var started = new CountdownEvent(3);
        for (int i = 0; i < 3; i++)
        {
            pool.CallInThread(() =>
            {
                started.Signal();
                gate.Wait();
            });
        }
        pool.AdjustPoolSize(maxThreads: 3);
        Assert.That(started.Wait(Deadline), Is.True, "all three items run at once after growing to 3 threads");
        gate.Set();
        pool.Stop();
    }

    [Test]
    public void ABurstOfWorkWakesEachIdleWorkerOnceAndGrowsForTheRest()
    {
        using var gate = new ManualResetEventSlim();
        var pool = new ReactorThreadPool(2, 3);
        pool.Start();
        Assert.That(SpinWait.SpinUntil(() => pool.IdleCount == 2, Deadline), Is.True, "the two minimum workers wait for work");
        var started = new CountdownEvent(3);
        for (int i = 0; i < 3; i++)
        {
            pool.CallInThread(() =>
            {
                started.Signal();
                gate.Wait();
            });
        }
        Assert.That(started.Wait(Deadline), Is.True, "two idle workers plus one new one run the three items at once");
        Assert.That(pool.WorkerCount, Is.EqualTo(3));
        gate.Set();
        pool.Stop();
    }

    [Test]
    public void BadSizesAreRejectedNamingTheArgument()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new ReactorThreadPool(-1, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("minThreads"));
            Assert.That(() => new ReactorThreadPool(0, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("maxThreads"));
            Assert.That(() => new ReactorThreadPool(3, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("minThreads"));
        });
        using var pool = new ReactorThreadPool(2, 4);
        pool.AdjustPoolSize(maxThreads: 1);
        Assert.That((pool.MinThreads, pool.MaxThreads), Is.EqualTo((1, 1)), "lowering max below min lowers min too");
    }
}
