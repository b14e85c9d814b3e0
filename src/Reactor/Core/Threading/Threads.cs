using Reactor.Core.Internal;
using Reactor.Defer;

namespace Reactor.Core.Threading;

/// <summary>
/// Moving work between the reactor thread and worker threads (Twisted's <c>twisted.internet.threads</c>).
/// </summary>
public static class Threads
{
    /// <summary>
    /// Runs <paramref name="work"/> on the reactor's thread pool and returns a Deferred that fires
    /// <em>on the reactor thread</em> with its result or its exception (Twisted's <c>deferToThread</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Deferred<T> DeferToThread<T>(IReactorThreads reactor, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        return DeferToThreadPool(reactor, reactor.GetThreadPool(), work);
    }

    /// <summary>
    /// As <see cref="DeferToThread{T}(IReactorThreads, Func{T})"/>, for work that takes a
    /// <see cref="CancellationToken"/>: cancelling <paramref name="cancellationToken"/> (or the Deferred)
    /// cancels the token the work receives and errbacks the Deferred with <see cref="CancelledError"/> at
    /// once; whatever the work returns afterwards is ignored. The Deferred fires on the reactor thread.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Deferred<T> DeferToThread<T>(IReactorThreads reactor, Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(work);
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = source.Token;
        var inner = DeferToThreadPool(reactor, reactor.GetThreadPool(), () => work(token));
        var outer = new Deferred<T>(_ =>
        {
            source.Cancel();
            inner.Cancel(); // no canceller: errbacks it and swallows the late result
        });
        inner.AddCallbacks<object?>(
            result => { if (!outer.Called) outer.Callback(result); return null; },
            failure => { if (!outer.Called) outer.Errback(failure); return null; });
        outer.AddBoth(source.Dispose);
        return outer.WithCancellation(cancellationToken);
    }

    /// <summary>As <see cref="DeferToThread{T}(IReactorThreads, Func{T})"/> for work with no result: the Deferred fires with null.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Deferred<object?> DeferToThread(IReactorThreads reactor, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return DeferToThread<object?>(reactor, () =>
        {
            work();
            return null;
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="pool"/> and returns a Deferred fired on the
    /// reactor thread, through <see cref="IReactorFromThreads.CallFromThread"/>, with the result or
    /// the exception (Twisted's <c>deferToThreadPool</c>).
    /// </summary>
    /// <returns>The Deferred; it fails at once with <see cref="InvalidOperationException"/> if the pool has been stopped.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static Deferred<T> DeferToThreadPool<T>(IReactorFromThreads reactor, ReactorThreadPool pool, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(work);
        var deferred = new Deferred<T>();
        try
        {
            pool.CallInThreadWithCallback(work, (result, error) => reactor.CallFromThread(() =>
            {
                if (error is null) deferred.Callback(result!);
                else deferred.Errback(error);
            }));
        }
        catch (InvalidOperationException e)
        {
            return Deferred.Fail<T>(e);
        }
        return deferred;
    }

    /// <summary>
    /// From a worker thread, runs <paramref name="call"/> on the reactor thread and blocks until it
    /// returns; returns its result or throws its exception, with the original stack (Twisted's
    /// <c>blockingCallFromThread</c>).
    /// </summary>
    /// <remarks>Never call it on the reactor thread: the reactor would wait for itself.</remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static T BlockingCallFromThread<T>(IReactorFromThreads reactor, Func<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return BlockingCallFromThread(reactor, () => Deferred.MaybeDeferred(call));
    }

    /// <summary>
    /// As <see cref="BlockingCallFromThread{T}(IReactorFromThreads, Func{T})"/> for a call that returns a
    /// Deferred: blocks until that Deferred fires, then returns its result or throws its failure's exception.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static T BlockingCallFromThread<T>(IReactorFromThreads reactor, Func<Deferred<T>> call) =>
        BlockingCallFromThread(reactor, call, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// As <see cref="BlockingCallFromThread{T}(IReactorFromThreads, Func{T})"/>, giving up after
    /// <paramref name="timeout"/>: a reactor that is stopped, disposed or too busy would otherwise
    /// block the calling thread forever.
    /// </summary>
    /// <remarks>
    /// After a timeout the call may still run on the reactor later; its result is then dropped.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="TimeoutException">The call's result did not arrive within <paramref name="timeout"/>.</exception>
    public static T BlockingCallFromThread<T>(IReactorFromThreads reactor, Func<T> call, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(call);
        return BlockingCallFromThread(reactor, () => Deferred.MaybeDeferred(call), timeout);
    }

    /// <summary>
    /// As <see cref="BlockingCallFromThread{T}(IReactorFromThreads, Func{Deferred{T}})"/>, giving up
    /// after <paramref name="timeout"/> (see <see cref="BlockingCallFromThread{T}(IReactorFromThreads, Func{T}, TimeSpan)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    /// <exception cref="TimeoutException">The Deferred did not fire within <paramref name="timeout"/>.</exception>
    /// <exception cref="ObjectDisposedException">The reactor is a disposed <see cref="ReactorLoop"/>.</exception>
    public static T BlockingCallFromThread<T>(IReactorFromThreads reactor, Func<Deferred<T>> call, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(call);
        if (timeout != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ThreadAffinity.ThrowIfReactorThread(reactor);
        // A TaskCompletionSource, not a disposable event: after a timeout the reactor may still complete it.
        var outcome = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action run = () =>
        {
            Deferred.MaybeDeferred(call).AddBoth<object?>(result =>
            {
                outcome.TrySetResult(result);
                return null; // the failure is handed to the waiting thread, not left unhandled
            });
        };
        if (reactor is ILoopServices loop)
        {
            // A disposed loop drops the call (CallFromThread never throws on worker threads): waiting would be forever.
            if (!loop.CallFromThread(static state => ((Action)state!)(), run)) throw new ObjectDisposedException("ReactorLoop", "The reactor was disposed; the call was not run.");
        }
        else
        {
            reactor.CallFromThread(run);
        }
        if (!outcome.Task.Wait(timeout)) throw new TimeoutException($"The reactor did not answer within {timeout}.");
        if (outcome.Task.Result is Failure failure) failure.Rethrow();
        return (T)outcome.Task.Result!;
    }

    /// <summary>As <see cref="BlockingCallFromThread{T}(IReactorFromThreads, Func{T})"/> for a call with no result.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void BlockingCallFromThread(IReactorFromThreads reactor, Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        BlockingCallFromThread(reactor, (Func<object?>)(() =>
        {
            call();
            return null;
        }));
    }

    /// <summary>As <see cref="BlockingCallFromThread{T}(IReactorFromThreads, Func{T}, TimeSpan)"/> for a call with no result.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="TimeoutException">The call did not complete within <paramref name="timeout"/>.</exception>
    public static void BlockingCallFromThread(IReactorFromThreads reactor, Action call, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(call);
        BlockingCallFromThread(reactor, (Func<object?>)(() =>
        {
            call();
            return null;
        }), timeout);
    }
}
