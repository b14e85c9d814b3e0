using CoreThreads = Reactor.Core.Threading.Threads;
using Reactor.Core.Threading;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Core.Threading;

/// <summary>Twisted's threads.deferToThreadPool / blockingCallFromThread (internet/threads.py), over a pumped stand-in reactor.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class ThreadsTests
{
    private readonly PumpedReactor _reactor = new();
    private readonly ReactorThreadPool _pool = new(0, 4, "ThreadsTests");

    [SetUp]
    public void StartPool() => _pool.Start();

    [TearDown]
    public void StopPool() => _pool.Stop();

    [Test]
    public void DeferToThreadPoolRunsOnAWorkerAndFiresOnTheReactorThread()
    {
        int workThread = 0, callbackThread = 0;
        var d = CoreThreads.DeferToThreadPool(_reactor, _pool, () =>
        {
            workThread = Environment.CurrentManagedThreadId;
            return 42;
        });
        var seen = d.AddCallback(v =>
        {
            callbackThread = Environment.CurrentManagedThreadId;
            return v;
        });
        _reactor.PumpUntil(() => seen.Called);
        Assert.Multiple(() =>
        {
            Assert.That(SuccessResultOf(seen), Is.EqualTo(42));
            Assert.That(workThread, Is.Not.EqualTo(_reactor.ThreadId));
            Assert.That(callbackThread, Is.EqualTo(_reactor.ThreadId));
        });
    }

    [Test]
    public void AnExceptionInTheWorkFailsTheDeferredOnTheReactorThread()
    {
        // Twisted: test_threads.DeferToThreadPoolTests.test_deferredFailure.
        var boom = new InvalidDataException("boom");
        var d = CoreThreads.DeferToThreadPool<int>(_reactor, _pool, () => throw boom);
        _reactor.PumpUntil(() => d.Called);
        Assert.That(FailureResultOf(d).Value, Is.SameAs(boom));
    }

    [Test]
    public void WorkWithNoResultFiresWithNull()
    {
        var ran = false;
        var d = CoreThreads.DeferToThreadPool<object?>(_reactor, _pool, () =>
        {
            ran = true;
            return null;
        });
        _reactor.PumpUntil(() => d.Called);
        Assert.That(SuccessResultOf(d), Is.Null);
        Assert.That(ran, Is.True);
    }

    [Test]
    public void AStoppedPoolFailsTheDeferredAtOnce()
    {
        _pool.Stop();
        var d = CoreThreads.DeferToThreadPool(_reactor, _pool, () => 1);
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void BlockingCallFromThreadReturnsTheValueComputedOnTheReactorThread()
    {
        int callThread = 0;
        var worker = Task.Run(() => CoreThreads.BlockingCallFromThread(_reactor, () =>
        {
            callThread = Environment.CurrentManagedThreadId;
            return "hello";
        }));
        _reactor.PumpUntil(() => worker.IsCompleted);
        Assert.That(worker.Result, Is.EqualTo("hello"));
        Assert.That(callThread, Is.EqualTo(_reactor.ThreadId));
    }

    [Test]
    public void BlockingCallFromThreadWaitsForADeferredFiredLater()
    {
        // Twisted: test_threads.DeferredResultTests.test_blockingCallFromThread (a Deferred fired after a delay).
        var clock = new Clock();
        var worker = Task.Run(() => CoreThreads.BlockingCallFromThread(_reactor, () =>
        {
            var d = new Deferred<int>();
            clock.CallLater(TimeSpan.FromSeconds(1), () => d.Callback(7));
            return d;
        }));
        _reactor.PumpUntil(() => clock.GetDelayedCalls().Count == 1);
        Assert.That(worker.IsCompleted, Is.False, "the worker waits while the Deferred is unfired");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(worker.Wait(TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(worker.Result, Is.EqualTo(7));
    }

    [Test]
    public void BlockingCallFromThreadRethrowsAFailedDeferredsExceptionInTheWorker()
    {
        // Twisted: test_threads.DeferredResultTests.test_errorBlockingCallFromThread.
        var worker = Task.Run(() => CoreThreads.BlockingCallFromThread(_reactor, () => Deferred.Fail<int>(new FileNotFoundException("missing"))));
        _reactor.PumpUntil(() => worker.IsCompleted);
        Assert.That(worker.Exception!.InnerException, Is.TypeOf<FileNotFoundException>().With.Message.EqualTo("missing"));
    }

    [Test]
    public void BlockingCallFromThreadRethrowsAnExceptionWithItsOriginalStack()
    {
        var worker = Task.Run(() => CoreThreads.BlockingCallFromThread(_reactor, (Action)ThrowFromHere));
        _reactor.PumpUntil(() => worker.IsCompleted);
        var error = worker.Exception!.InnerException!;
        Assert.That(error, Is.TypeOf<ArithmeticException>());
        Assert.That(error.StackTrace, Does.Contain(nameof(ThrowFromHere)));
    }

    [Test]
    public void BlockingCallFromThreadOnTheReactorThreadIsRefused() =>
        Assert.That(() => CoreThreads.BlockingCallFromThread(_reactor, () => 1),
            Throws.InvalidOperationException.With.Message.Contains("reactor thread"));

    private static void ThrowFromHere() => throw new ArithmeticException("bad sum");
}
