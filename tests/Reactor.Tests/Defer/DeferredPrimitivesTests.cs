using Reactor.Defer;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>DeferredLock, DeferredSemaphore and DeferredQueue (Twisted's test_defer.OtherPrimitivesTests).</summary>
public class DeferredPrimitivesTests
{
    // twisted: test_defer.OtherPrimitivesTests.testLock
    [Test]
    public void LockHandsItselfToWaitersInOrderAndRunReleasesWhenTheResultArrives()
    {
        int counter = 0;
        var lk = new DeferredLock();
        lk.Acquire().AddCallback(_ => { counter++; });
        Assert.That(lk.Locked, Is.True);
        Assert.That(counter, Is.EqualTo(1));

        lk.Acquire().AddCallback(_ => { counter++; });
        Assert.That(lk.Locked, Is.True);
        Assert.That(counter, Is.EqualTo(1));

        lk.Release();
        Assert.That(lk.Locked, Is.True);
        Assert.That(counter, Is.EqualTo(2));

        lk.Release();
        Assert.That(lk.Locked, Is.False);
        Assert.That(counter, Is.EqualTo(2));

        var control = new Deferred<string>();
        string? argSeen = null;
        var resultDeferred = lk.Run(() => { argSeen = "first"; return control; });
        Assert.That(lk.Locked, Is.True);
        Assert.That(argSeen, Is.EqualTo("first"));
        string? result = null;
        resultDeferred.AddCallback(r => { result = r; });

        lk.Acquire().AddCallback(_ => { counter++; });
        Assert.That(lk.Locked, Is.True);
        Assert.That(counter, Is.EqualTo(2));

        control.Callback("second");
        Assert.That(result, Is.EqualTo("second"));
        Assert.That(lk.Locked, Is.True);
        Assert.That(counter, Is.EqualTo(3));

        var d = lk.Acquire();
        d.Cancel();
        FailureResultOf(d, typeof(CancelledError));

        lk.Release();
        Assert.That(lk.Locked, Is.False);
    }

    // twisted: test_defer.OtherPrimitivesTests.testLock (run releases on failure too) and
    // test_defer.OtherPrimitivesTests.test_lockRunWith... (async functions run under the lock)
    [Test]
    public void RunReleasesWhenTheFunctionThrowsOrItsTaskCompletes()
    {
        var lk = new DeferredLock();
        var failed = lk.Run(new Func<int>(() => throw new GenericError("boom")));
        Assert.That(FailureResultOf(failed, typeof(GenericError)).Value.Message, Is.EqualTo("boom"));
        Assert.That(lk.Locked, Is.False);

        var source = new TaskCompletionSource<int>();
        var viaTask = lk.Run(() => source.Task);
        Assert.That(lk.Locked, Is.True);
        AssertNoResult(viaTask);
        source.SetResult(7);
        Assert.That(SuccessResultOf(viaTask), Is.EqualTo(7));
        Assert.That(lk.Locked, Is.False);
    }

    // twisted: test_defer.OtherPrimitivesTests.test_cancelLockAfterAcquired
    [Test]
    public void CancellingAnAcquiredLockDoesNothing()
    {
        var lk = new DeferredLock();
        var d = lk.Acquire();
        d.Cancel();
        Assert.That(SuccessResultOf(d), Is.SameAs(lk));
        Assert.That(lk.Locked, Is.True);
    }

    // twisted: test_defer.OtherPrimitivesTests.test_cancelLockBeforeAcquired
    [Test]
    public void CancellingAWaitingAcquireFailsItAndLeavesTheQueue()
    {
        var lk = new DeferredLock();
        lk.Acquire();
        var d = lk.Acquire();
        d.Cancel();
        FailureResultOf(d, typeof(CancelledError));
        Assert.That(lk.WaitingCount, Is.Zero);
        lk.Release();
        Assert.That(lk.Locked, Is.False, "the cancelled waiter must not receive the lock");
    }

    // twisted: test_defer.OtherPrimitivesTests.testLock asserts release of an unlocked lock fails
    [Test]
    public void ReleasingAnUnlockedLockThrows()
    {
        Assert.Throws<InvalidOperationException>(() => new DeferredLock().Release());
    }

    // twisted: test_defer.OtherPrimitivesTests.testSemaphore
    [Test]
    public void SemaphoreAdmitsLimitHoldersAndQueuesTheRest()
    {
        const int N = 13;
        var sem = new DeferredSemaphore(N);
        var control = new Deferred<object?>();
        object? argSeen = null;
        var unique = new object();
        var results = new List<object?>();
        int counter = 0;
        var resultDeferred = sem.Run(() => { argSeen = unique; return control; });
        resultDeferred.AddCallback(r => { results.Add(r); counter++; });
        Assert.That(results, Is.Empty);
        Assert.That(argSeen, Is.SameAs(unique));
        control.Callback(null);
        Assert.That(results, Is.EqualTo(new object?[] { null }));
        Assert.That(counter, Is.EqualTo(1));

        counter = 0;
        for (int i = 1; i <= N; i++)
        {
            sem.Acquire().AddCallback(_ => { counter++; });
            Assert.That(counter, Is.EqualTo(i));
        }

        var success = new List<bool>();
        var d = sem.Acquire().AddCallbacks<object?>(_ => { success.Add(false); return null; }, _ => { success.Add(true); return null; });
        d.Cancel();
        Assert.That(success, Is.EqualTo(new[] { true }));

        sem.Acquire().AddCallback(_ => { counter++; });
        Assert.That(counter, Is.EqualTo(N));
        sem.Release();
        Assert.That(counter, Is.EqualTo(N + 1));

        for (int i = 1; i <= N; i++)
        {
            sem.Release();
            Assert.That(counter, Is.EqualTo(N + 1));
        }
        Assert.That(sem.Tokens, Is.EqualTo(N));
        Assert.Throws<InvalidOperationException>(sem.Release);
    }

    // twisted: test_defer.OtherPrimitivesTests.test_semaphoreInvalidTokens
    [Test]
    public void SemaphoreNeedsAtLeastOneToken()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredSemaphore(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeferredSemaphore(-1));
    }

    // twisted: test_defer.OtherPrimitivesTests.test_cancelSemaphoreAfterAcquired
    [Test]
    public void CancellingAnAcquiredTokenDoesNothing()
    {
        var sem = new DeferredSemaphore(1);
        var d = sem.Acquire();
        d.Cancel();
        Assert.That(SuccessResultOf(d), Is.SameAs(sem));
        Assert.That(sem.Tokens, Is.Zero);
    }

    // twisted: test_defer.OtherPrimitivesTests.test_cancelSemaphoreBeforeAcquired
    [Test]
    public void CancellingAWaitingTokenRequestFailsIt()
    {
        var sem = new DeferredSemaphore(1);
        sem.Acquire();
        var d = sem.Acquire();
        d.Cancel();
        FailureResultOf(d, typeof(CancelledError));
        sem.Release();
        Assert.That(sem.Tokens, Is.EqualTo(1));
    }

    // twisted: test_defer.OtherPrimitivesTests.testQueue
    [Test]
    public void QueueHonoursSizeAndBacklog()
    {
        const int N = 2, M = 2;
        var queue = new DeferredQueue<int?>(N, M);
        var gotten = new List<int?>();
        for (int i = 0; i < M; i++) queue.Get().AddCallback(gotten.Add);
        Assert.Throws<QueueUnderflow>(() => queue.Get());

        for (int i = 0; i < M; i++)
        {
            queue.Put(i);
            Assert.That(gotten, Is.EqualTo(Enumerable.Range(0, i + 1).Select(x => (int?)x)));
        }
        for (int i = 0; i < N; i++)
        {
            queue.Put(N + i);
            Assert.That(gotten, Is.EqualTo(Enumerable.Range(0, M).Select(x => (int?)x)));
        }
        Assert.Throws<QueueOverflow>(() => queue.Put(null));

        gotten.Clear();
        for (int i = 0; i < N; i++)
        {
            queue.Get().AddCallback(gotten.Add);
            Assert.That(gotten, Is.EqualTo(Enumerable.Range(N, i + 1).Select(x => (int?)x)));
        }

        var unbounded = new DeferredQueue<int>();
        var got = new List<int>();
        for (int i = 0; i < N; i++) unbounded.Get().AddCallback(got.Add);
        for (int i = 0; i < N; i++) unbounded.Put(i);
        Assert.That(got, Is.EqualTo(Enumerable.Range(0, N)));

        Assert.Throws<QueueOverflow>(() => new DeferredQueue<object?>(size: 0).Put(null));
        Assert.Throws<QueueUnderflow>(() => new DeferredQueue<object?>(backlog: 0).Get());
    }

    // twisted: test_defer.OtherPrimitivesTests.test_cancelQueueAfterSynchronousGet
    [Test]
    public void CancellingAGetThatAlreadyFiredDoesNothing()
    {
        var queue = new DeferredQueue<object?>();
        var d = queue.Get();
        bool errbacked = false;
        d.AddErrback(_ => { errbacked = true; });
        queue.Put(null);
        d.Cancel();
        Assert.That(errbacked, Is.False);
    }

    // twisted: test_defer.OtherPrimitivesTests.test_cancelQueueAfterGet
    [Test]
    public void CancellingAPendingGetRemovesItFromTheQueue()
    {
        var queue = new DeferredQueue<string?>();
        var d = queue.Get();
        d.Cancel();
        FailureResultOf(d, typeof(CancelledError));
        Assert.That(queue.WaitingCount, Is.Zero);
        // If the cancelled Deferred were still linked, this put would raise AlreadyCalledError.
        queue.Put("x");
        Assert.That(SuccessResultOf(queue.Get()), Is.EqualTo("x"));
    }
}
