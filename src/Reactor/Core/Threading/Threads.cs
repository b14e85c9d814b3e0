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
    public static T BlockingCallFromThread<T>(IReactorFromThreads reactor, Func<Deferred<T>> call)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(call);
        ThreadAffinity.ThrowIfReactorThread(reactor);
        using var done = new ManualResetEventSlim();
        object? outcome = null;
        reactor.CallFromThread(() =>
        {
            Deferred.MaybeDeferred(call).AddBoth<object?>(result =>
            {
                outcome = result;
                done.Set();
                return null; // the failure is handed to the waiting thread, not left unhandled
            });
        });
        done.Wait();
        if (outcome is Failure failure) failure.Rethrow();
        return (T)outcome!;
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
}
