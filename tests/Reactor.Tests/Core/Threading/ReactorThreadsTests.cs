using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using CoreThreads = Reactor.Core.Threading.Threads;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Core.Threading;

/// <summary>The reactor's thread pool and the thread hand-offs on a real ReactorLoop (Twisted's test_threads.ReactorThreadsTests).</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ReactorThreadsTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly RecordingLogger _logger = new();
    private readonly ReactorLoop _reactor;

    public ReactorThreadsTests(SelectorKind kind) => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });

    public void Dispose() => _reactor.Dispose();

    /// <summary>Runs the reactor on this thread; a guard stops it after the deadline and fails the test.</summary>
    private void Run()
    {
        var guardFired = false;
        var guard = _reactor.CallLater(Deadline, () =>
        {
            guardFired = true;
            _reactor.Stop();
        });
        _reactor.Run();
        if (guard.Active) guard.Cancel();
        Assert.That(guardFired, Is.False, "the reactor had to be stopped by the deadline guard");
    }

    [Test]
    public void DeferToThreadDeliversTheResultOnTheReactorThread()
    {
        // Twisted: test_threads.DeferToThreadPoolTests / ReactorThreadsTests.test_deferToThread.
        int loopThread = Environment.CurrentManagedThreadId, workThread = 0, callbackThread = 0;
        string? result = null;
        _reactor.CallWhenRunning(() =>
            CoreThreads.DeferToThread(_reactor, () =>
            {
                workThread = Environment.CurrentManagedThreadId;
                return "done";
            }).AddCallback(r =>
            {
                callbackThread = Environment.CurrentManagedThreadId;
                result = r;
                _reactor.Stop();
            }));
        Run();
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo("done"));
            Assert.That(workThread, Is.Not.EqualTo(loopThread));
            Assert.That(callbackThread, Is.EqualTo(loopThread));
        });
    }

    [Test]
    public void DeferToThreadFailuresArriveAsFailures()
    {
        Failure? failure = null;
        _reactor.CallWhenRunning(() =>
            CoreThreads.DeferToThread(_reactor, (Action)(() => throw new DriveNotFoundException("z:"))).AddErrback(f =>
            {
                failure = f;
                _reactor.Stop();
            }));
        Run();
        Assert.That(failure?.Value, Is.TypeOf<DriveNotFoundException>());
    }

    [Test]
    public void BlockingCallFromThreadWaitsForADeferredFiredByTheLoop()
    {
        // Twisted: test_threads.ReactorThreadsTests / DeferredResultTests.test_blockingCallFromThread.
        int? got = null;
        Exception? error = null;
        _reactor.CallWhenRunning(() => _reactor.CallInThread(() =>
        {
            try
            {
                got = CoreThreads.BlockingCallFromThread(_reactor, () =>
                {
                    var d = new Deferred<int>();
                    _reactor.CallLater(TimeSpan.FromMilliseconds(20), () => d.Callback(5));
                    return d;
                });
                CoreThreads.BlockingCallFromThread(_reactor, () => Deferred.Fail<int>(new KeyNotFoundException("k")));
            }
            catch (Exception e)
            {
                error = e;
            }
            _reactor.CallFromThread(_reactor.Stop);
        }));
        Run();
        Assert.That(got, Is.EqualTo(5));
        Assert.That(error, Is.TypeOf<KeyNotFoundException>());
    }

    [Test]
    public void BlockingCallFromThreadOnTheReactorThreadIsRefused()
    {
        Exception? error = null;
        _reactor.CallWhenRunning(() =>
        {
            try
            {
                CoreThreads.BlockingCallFromThread(_reactor, () => 1);
            }
            catch (Exception e)
            {
                error = e;
            }
            _reactor.Stop();
        });
        Run();
        Assert.That(error, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void ThePoolIsCreatedLazilyAndStartsWithTheReactor()
    {
        var pool = _reactor.GetThreadPool();
        Assert.That(_reactor.GetThreadPool(), Is.SameAs(pool));
        Assert.That(pool.Started, Is.False, "not before the reactor runs");
        Assert.That(pool.MaxThreads, Is.EqualTo(ReactorLoop.DefaultThreadPoolSize));
        var ran = false;
        _reactor.CallInThread(() =>
        {
            ran = true;
            _reactor.CallFromThread(_reactor.Stop);
        });
        Run();
        Assert.That(ran, Is.True);
        Assert.That(pool.Started, Is.False, "stopped during shutdown");
        Assert.That(pool.WorkerCount, Is.Zero);
    }

    [Test]
    public void SuggestThreadPoolSizeSetsTheMaximum()
    {
        _reactor.SuggestThreadPoolSize(3);
        Assert.That(_reactor.GetThreadPool().MaxThreads, Is.EqualTo(3));
        Assert.That(() => _reactor.SuggestThreadPoolSize(0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("size"));
    }

    [Test]
    public void AnExceptionInCallInThreadIsLoggedThroughTheReactorsLogger()
    {
        _reactor.CallInThread(() => throw new TimeZoneNotFoundException("lost"));
        _reactor.CallInThread(() => _reactor.CallFromThread(_reactor.Stop));
        Run();
        Assert.That(_logger.Entries.Any(e => e.Level == LogLevel.Error && e.Exception is TimeZoneNotFoundException), Is.True);
    }

    [Test]
    public void ShutdownWithBusyWorkersDrainsThePoolBeforeRunReturns()
    {
        const int Busy = 3, Queued = 4;
        using var gate = new ManualResetEventSlim();
        var finished = 0;
        int busyAtShutdown = -1, pendingAtShutdown = -1;
        // Registered before the pool exists, so it runs before the pool's own during-shutdown trigger.
        _reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () =>
        {
            var pool = _reactor.GetThreadPool();
            busyAtShutdown = pool.BusyCount;
            pendingAtShutdown = pool.PendingCount;
            gate.Set();
        });
        _reactor.SuggestThreadPoolSize(Busy);
        var started = 0;
        for (int i = 0; i < Busy + Queued; i++)
        {
            _reactor.CallInThread(() =>
            {
                // Each of the first Busy items tells the loop it is running; the last one to start stops the reactor.
                if (Interlocked.Increment(ref started) == Busy) _reactor.CallFromThread(_reactor.Stop);
                gate.Wait();
                Interlocked.Increment(ref finished);
            });
        }
        var pool = _reactor.GetThreadPool();
        Run();
        Assert.Multiple(() =>
        {
            Assert.That(busyAtShutdown, Is.EqualTo(Busy), "every worker was busy when shutdown began");
            Assert.That(pendingAtShutdown, Is.EqualTo(Queued), "with work still queued behind them");
            Assert.That(finished, Is.EqualTo(Busy + Queued), "shutdown waited for all of it");
            Assert.That(pool.WorkerCount, Is.Zero, "and for every worker to exit");
            Assert.That(() => pool.CallInThread(() => { }), Throws.InvalidOperationException, "a stopped pool takes no work");
        });
    }

    [Test]
    public void AWorkerStuckPastTheShutdownTimeoutIsLoggedAndDoesNotHangTheReactor()
    {
        using var gate = new ManualResetEventSlim();
        _reactor.ThreadPoolShutdownTimeout = TimeSpan.Zero;
        _reactor.CallInThread(() =>
        {
            _reactor.CallFromThread(_reactor.Stop);
            gate.Wait();
        });
        Run();
        gate.Set();
        Assert.That(_logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("still busy")), Is.True);
    }
}
