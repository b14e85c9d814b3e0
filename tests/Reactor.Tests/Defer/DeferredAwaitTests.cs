using System.Collections.Concurrent;
using Reactor.Defer;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>Awaiting Deferreds, EnsureDeferred (Twisted's ensureDeferred / inlineCallbacks) and Task interop.</summary>
public class DeferredAwaitTests
{
    /// <summary>A single-threaded context like the reactor's: posted work runs when the owner drains it.</summary>
    private sealed class QueueContext : SynchronizationContext
    {
        public readonly BlockingCollection<(SendOrPostCallback, object?)> Posted = new();

        public override void Post(SendOrPostCallback d, object? state) => Posted.Add((d, state));

        public void RunOne(TimeSpan timeout)
        {
            Assert.That(Posted.TryTake(out var work, timeout), Is.True, "nothing was posted");
            work.Item1(work.Item2);
        }
    }

    private static void WithContext(SynchronizationContext context, Action action)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    [Test]
    public async Task AwaitingAFiredDeferredReturnsItsResult()
    {
        Assert.That(await Deferred.Succeed(7), Is.EqualTo(7));
    }

    [Test]
    public void AwaitingAFailedDeferredThrowsTheOriginalException()
    {
        async Task<int> Run() => await Deferred.Fail<int>(new KeyNotFoundException("k"));
        Assert.That(async () => await Run(), Throws.TypeOf<KeyNotFoundException>().With.Message.EqualTo("k"));
    }

    [Test]
    public void AwaitingAFailedDeferredHandlesTheFailure()
    {
        using var unobserved = UnobservedFailures.Track();
        var failed = Deferred.Fail<int>(new GenericError());
        var result = Deferred.EnsureDeferred(async () =>
        {
            try
            {
                return await failed;
            }
            catch (GenericError)
            {
                return -1;
            }
        });
        Assert.That(SuccessResultOf(result), Is.EqualTo(-1));
        unobserved.AssertNone();
    }

    // twisted: test_defer.EnsureDeferredTests.test_ensureDeferredCoroutine
    [Test]
    public void AwaitResumesWhenTheDeferredFires()
    {
        var d = new Deferred<string>();
        var result = Deferred.EnsureDeferred(async () => (await d) + "!");
        AssertNoResult(result);
        d.Callback("hi");
        Assert.That(SuccessResultOf(result), Is.EqualTo("hi!"));
    }

    // twisted: research §2.9 — awaiting consumes the result: the Deferred's result is null afterwards
    [Test]
    public void AwaitingAPendingDeferredConsumesItsResult()
    {
        var d = new Deferred<object?>();
        var result = Deferred.EnsureDeferred(async () => await d);
        d.Callback("value");
        Assert.That(SuccessResultOf(result), Is.EqualTo("value"));
        Assert.That(SuccessResultOf(d), Is.Null);
    }

    // twisted: test_inlinecb.BasicTests.testStackUsage / research E21
    [Test]
    public void ThousandsOfAwaitsDoNotGrowTheStack()
    {
        var result = Deferred.EnsureDeferred(async () =>
        {
            int sum = 0;
            for (int i = 0; i < 5000; i++) sum += await Deferred.Succeed(1);
            return sum;
        });
        Assert.That(SuccessResultOf(result), Is.EqualTo(5000));
    }

    [Test]
    public void ExceptionInTheAsyncMethodErrbacks()
    {
        var result = Deferred.EnsureDeferred(async Task<int> () =>
        {
            await Deferred.Succeed(0);
            throw new GenericError("async");
        });
        Assert.That(FailureResultOf(result, typeof(GenericError)).Value.Message, Is.EqualTo("async"));
    }

    [Test]
    public void AsyncMethodWithoutAResultFiresWithNull()
    {
        var d = new Deferred<int>();
        int seen = 0;
        var result = Deferred.EnsureDeferred(async () => { seen = await d; });
        d.Callback(3);
        Assert.That(SuccessResultOf(result), Is.Null);
        Assert.That(seen, Is.EqualTo(3));
    }

    // twisted: test_inlinecb.CancellationTests.test_CascadeCancellingOnCancelNotStacked / research E22
    [Test]
    public void CancellingTheAsyncMethodsDeferredCancelsTheDeferredItAwaits()
    {
        int innerCancelled = 0;
        var inner = new Deferred<int>(_ => innerCancelled++);
        var outer = Deferred.EnsureDeferred(async () => await inner + 1);
        outer.Cancel();
        Assert.That(innerCancelled, Is.EqualTo(1));
        // The await consumed the inner CancelledError and rethrew it in the method.
        Assert.That(inner.Called && SuccessResultOf(inner) == 0);
        FailureResultOf(outer, typeof(CancelledError));
    }

    // twisted: test_inlinecb.CancellationTests.test_ErrbackCancelledErrorOnCancel (the method may handle it)
    [Test]
    public void AsyncMethodCanHandleTheCancellationOfWhatItAwaits()
    {
        var inner = new Deferred<int>();
        var outer = Deferred.EnsureDeferred(async () =>
        {
            try
            {
                return await inner;
            }
            catch (CancelledError)
            {
                return 42;
            }
        });
        outer.Cancel();
        Assert.That(SuccessResultOf(outer), Is.EqualTo(42));
    }

    [Test]
    public void AsyncMethodThatHandlesCancellationCanKeepAwaiting()
    {
        var first = new Deferred<int>();
        var second = new Deferred<int>();
        var outer = Deferred.EnsureDeferred(async () =>
        {
            try
            {
                return await first;
            }
            catch (CancelledError)
            {
                return await second * 2;
            }
        });
        outer.Cancel();
        AssertNoResult(outer);
        second.Callback(21);
        Assert.That(SuccessResultOf(outer), Is.EqualTo(42));
    }

    [Test]
    public void CancellationCascadesThroughNestedAsyncMethods()
    {
        int cancelled = 0;
        var leaf = new Deferred<int>(_ => cancelled++);
        async Task<int> Helper() => await leaf;
        var outer = Deferred.EnsureDeferred(async () => await Helper());
        outer.Cancel();
        Assert.That(cancelled, Is.EqualTo(1));
        FailureResultOf(outer, typeof(CancelledError));
    }

    [Test]
    public void AwaitOnTheReactorThreadResumesOnItWhenFiredElsewhere()
    {
        var context = new QueueContext();
        var d = new Deferred<int>();
        Deferred<int>? result = null;
        int resumedOn = -1;
        WithContext(context, () =>
        {
            result = Deferred.EnsureDeferred(async () =>
            {
                var value = await d;
                resumedOn = Environment.CurrentManagedThreadId;
                return value;
            });
        });
        Assert.That(Task.Run(() => d.Callback(5)).Wait(TimeSpan.FromSeconds(10)), Is.True);
        AssertNoResult(result!);
        WithContext(context, () => context.RunOne(TimeSpan.FromSeconds(10)));
        Assert.That(resumedOn, Is.EqualTo(Environment.CurrentManagedThreadId));
        Assert.That(SuccessResultOf(result!), Is.EqualTo(5));
    }

    [Test]
    public void AwaitFiredOnTheSameContextResumesInline()
    {
        var context = new QueueContext();
        var d = new Deferred<int>();
        Deferred<int>? result = null;
        WithContext(context, () =>
        {
            result = Deferred.EnsureDeferred(async () => await d);
            d.Callback(9);
        });
        Assert.That(context.Posted, Is.Empty);
        Assert.That(SuccessResultOf(result!), Is.EqualTo(9));
    }

    [Test]
    public async Task ToTaskCompletesWithTheResult()
    {
        var d = new Deferred<string>();
        var task = d.ToTask();
        Assert.That(task.IsCompleted, Is.False);
        d.Callback("done");
        Assert.That(await task, Is.EqualTo("done"));
    }

    [Test]
    public void ToTaskFaultsWithTheFailureAndHandlesIt()
    {
        using var unobserved = UnobservedFailures.Track();
        var task = Deferred.Fail<int>(new GenericError("t")).ToTask();
        Assert.That(async () => await task, Throws.TypeOf<GenericError>());
        unobserved.AssertNone();
    }

    [Test]
    public void FromTaskOfACompletedTaskFiresAtOnce()
    {
        Assert.That(SuccessResultOf(Deferred.FromTask(Task.FromResult(4))), Is.EqualTo(4));
        FailureResultOf(Deferred.FromTask(Task.FromException<int>(new GenericError())), typeof(GenericError));
    }

    [Test]
    public void FromTaskFiresOnTheCapturedContext()
    {
        var context = new QueueContext();
        var source = new TaskCompletionSource<int>();
        Deferred<int>? d = null;
        WithContext(context, () => d = Deferred.FromTask(source.Task));
        Assert.That(Task.Run(() => source.SetResult(8)).Wait(TimeSpan.FromSeconds(10)), Is.True);
        AssertNoResult(d!);
        WithContext(context, () => context.RunOne(TimeSpan.FromSeconds(10)));
        Assert.That(SuccessResultOf(d!), Is.EqualTo(8));
    }

    [Test]
    public void CancellingFromTaskCancelsTheToken()
    {
        CancellationToken seen = default;
        var source = new TaskCompletionSource<int>();
        var d = Deferred.FromTask(token =>
        {
            seen = token;
            return source.Task;
        });
        d.Cancel();
        Assert.That(seen.IsCancellationRequested, Is.True);
        FailureResultOf(d, typeof(CancelledError));
        source.SetResult(1); // the late outcome is ignored
    }
}
