using Reactor.Defer.Internal;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Defer;

/// <summary>
/// A result of type <typeparamref name="T"/> that is not available yet, with the chain of callbacks
/// and errbacks that will process it (Twisted's <c>Deferred[T]</c>). Awaitable.
/// </summary>
/// <remarks>
/// Adding a callback that changes the result type returns the <em>same chain</em> typed anew (as in
/// Twisted's own type stubs): keep using the returned Deferred. Extending a stale view — one whose
/// type no longer matches the chain's last link — throws <see cref="InvalidOperationException"/>.
/// Results with no value are <c>Deferred&lt;object?&gt;</c> fired with null.
/// </remarks>
/// <typeparam name="T">The type of the result this view of the chain delivers.</typeparam>
public class Deferred<T> : Deferred
{
    /// <summary>Creates an unfired Deferred.</summary>
    /// <param name="canceller">
    /// Called by <see cref="Deferred.Cancel"/> while the Deferred has not fired, to stop the operation
    /// behind it. It may fire the Deferred itself; if it does not, the Deferred errbacks with
    /// <see cref="CancelledError"/>; if it throws, the Deferred errbacks with that exception.
    /// </param>
    public Deferred(Action<Deferred<T>>? canceller = null) : base(canceller, typeof(T))
    {
    }

    private Deferred(Deferred owner) : base(owner)
    {
    }

    /// <summary>Fires the chain with <paramref name="result"/>.</summary>
    /// <remarks>A <see cref="Failure"/> result (possible when T is object) takes the error path, as in Twisted.</remarks>
    /// <exception cref="AlreadyCalledError">The Deferred has already been fired.</exception>
    /// <exception cref="ArgumentException"><paramref name="result"/> is a Deferred: return it from a callback instead.</exception>
    /// <exception cref="InvalidOperationException">This is a view returned by <c>AddCallback</c>; fire the Deferred that was created.</exception>
    public void Callback(T result)
    {
        if (result is Deferred)
        {
            throw new ArgumentException("A Deferred cannot be fired with another Deferred; return it from a callback to chain them.", nameof(result));
        }
        if (_chain is not Deferred<T>)
        {
            throw new InvalidOperationException("Fire the Deferred that was created, not a view returned by AddCallback.");
        }
        _chain.StartRunCallbacks(result);
    }

    /// <summary>Adds a callback that maps the result to a new value; failures pass it by.</summary>
    /// <returns>The same chain, typed by the callback's result.</returns>
    public Deferred<TNext> AddCallback<TNext>(Func<T, TNext> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Append<TNext>(new CallbackPair(callback, FuncStep<T, TNext>.Instance, null, null));
    }

    /// <summary>Adds a callback that returns a Deferred: the chain waits for it and continues with its result.</summary>
    /// <returns>The same chain, typed by the inner Deferred's result.</returns>
    public Deferred<TNext> AddCallback<TNext>(Func<T, Deferred<TNext>?> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Append<TNext>(new CallbackPair(callback, FuncDeferredStep<T, TNext>.Instance, null, null));
    }

    /// <summary>Adds a callback with no result; the chain continues with null (a Python function returning None).</summary>
    public Deferred<object?> AddCallback(Action<T> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Append<object?>(new CallbackPair(callback, ActionStep<T>.Instance, null, null));
    }

    /// <summary>
    /// Adds an errback: it runs only when the result is a <see cref="Failure"/>. Returning a value moves
    /// the chain back to the callback path; throwing (e.g. <see cref="Failure.Trap"/>) keeps it on the error path.
    /// </summary>
    public Deferred<T> AddErrback(Func<Failure, T> errback)
    {
        ArgumentNullException.ThrowIfNull(errback);
        return Append<T>(new CallbackPair(null, null, errback, ErrbackStep<T>.Instance));
    }

    /// <summary>Adds an errback that returns a Deferred to wait on.</summary>
    public Deferred<T> AddErrback(Func<Failure, Deferred<T>?> errback)
    {
        ArgumentNullException.ThrowIfNull(errback);
        return Append<T>(new CallbackPair(null, null, errback, ErrbackDeferredStep<T>.Instance));
    }

    /// <summary>
    /// Adds an errback that handles the failure and returns nothing: the chain continues on the callback
    /// path with <c>default(T)</c> (a Python errback returning None). Throw from it to keep failing.
    /// </summary>
    public Deferred<T> AddErrback(Action<Failure> errback)
    {
        ArgumentNullException.ThrowIfNull(errback);
        return Append<T>(new CallbackPair(null, null, errback, ErrbackActionStep<T>.Instance));
    }

    /// <summary>Adds a callback and an errback as one link: exactly one of them runs, chosen by the incoming result.</summary>
    /// <remarks>An exception thrown by <paramref name="callback"/> is not seen by <paramref name="errback"/>, only by later links.</remarks>
    public Deferred<TNext> AddCallbacks<TNext>(Func<T, TNext> callback, Func<Failure, TNext> errback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(errback);
        return Append<TNext>(new CallbackPair(callback, FuncStep<T, TNext>.Instance, errback, ErrbackStep<TNext>.Instance));
    }

    /// <summary>Adds a callback and an errback as one link, both returning a Deferred to wait on.</summary>
    public Deferred<TNext> AddCallbacks<TNext>(Func<T, Deferred<TNext>?> callback, Func<Failure, Deferred<TNext>?> errback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(errback);
        return Append<TNext>(new CallbackPair(callback, FuncDeferredStep<T, TNext>.Instance, errback, ErrbackDeferredStep<TNext>.Instance));
    }

    /// <summary>
    /// Adds a function that runs on either path and receives the raw result: the <typeparamref name="T"/>
    /// value (boxed) or the <see cref="Failure"/>. Returning a Failure keeps the chain on the error path.
    /// </summary>
    public Deferred<TNext> AddBoth<TNext>(Func<object?, TNext> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Append<TNext>(CallbackPair.Both(callback, BothStep<TNext>.Instance));
    }

    /// <summary>Adds a function that runs on either path and returns a Deferred to wait on.</summary>
    public Deferred<TNext> AddBoth<TNext>(Func<object?, Deferred<TNext>?> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Append<TNext>(CallbackPair.Both(callback, BothDeferredStep<TNext>.Instance));
    }

    /// <summary>Adds an action that runs on either path and leaves the result untouched (a <c>finally</c>).</summary>
    public new Deferred<T> AddBoth(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Append<T>(CallbackPair.Both(callback, FinallyStep.Instance));
    }

    /// <summary>
    /// Fires <paramref name="other"/> with this chain's result when it arrives (Twisted's <c>chainDeferred</c>);
    /// this chain's result then becomes null.
    /// </summary>
    /// <remarks>Unlike returning a Deferred from a callback, this is not trampolined: very long explicit chains use stack.</remarks>
    public Deferred<object?> ChainDeferred(Deferred<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Append<object?>(CallbackPair.Both(other, FireOtherStep.Instance));
    }

    /// <summary>
    /// Cancels this Deferred if it has not fired after <paramref name="timeout"/> on <paramref name="clock"/>,
    /// and turns the resulting <see cref="CancelledError"/> into a <see cref="TimeoutError"/> (Twisted's <c>addTimeout</c>).
    /// </summary>
    /// <remarks>
    /// Only links added before this call see the raw <see cref="CancelledError"/>; the timer is cancelled
    /// as soon as the Deferred fires.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public Deferred<T> AddTimeout(TimeSpan timeout, IReactorTime clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var state = new DeferredTimeout(this, timeout);
        state.Call = clock.CallLater(timeout, state.TimeOut);
        return Append<T>(CallbackPair.Both(state, DeferredTimeout.Step.Instance));
    }

    /// <summary>Gets an awaiter: <c>await deferred</c> returns the result or throws the failure's exception.</summary>
    /// <remarks>
    /// Awaiting consumes the result: the chain's result becomes null afterwards (as in Twisted). When
    /// the await has to wait, the continuation runs on the <see cref="SynchronizationContext"/> that was
    /// current at the await (the reactor thread, when awaited there), or inline where the Deferred fires.
    /// </remarks>
    public DeferredAwaiter<T> GetAwaiter()
    {
        var c = _chain;
        c.CheckTailFor(typeof(T));
        return new DeferredAwaiter<T>(this, c.HasResult ? null : new AwaitOperation());
    }

    /// <summary>A task that completes with this Deferred's result or faults with its failure's exception.</summary>
    public Task<T> ToTask()
    {
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Append<object?>(CallbackPair.Both(source, TaskCompletionStep<T>.Instance));
        return source.Task;
    }

    /// <summary>
    /// A task for this Deferred's outcome; when <paramref name="cancellationToken"/> is cancelled first,
    /// the Deferred is cancelled (<see cref="Deferred.Cancel"/>) and the task ends with what that gives —
    /// normally a <see cref="CancelledError"/> (an <see cref="OperationCanceledException"/>), or the result a canceller supplied.
    /// </summary>
    /// <remarks>
    /// A token cancelled on another thread cancels the Deferred on that thread: Deferreds are not
    /// thread-safe, so pass a token that is cancelled on the Deferred's thread (the reactor thread), or
    /// one from a reactor-aware source. An already-cancelled token cancels the Deferred at once.
    /// </remarks>
    public Task<T> ToTask(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled) return ToTask();
        var task = ToTask();
        if (task.IsCompleted) return task;
        var registration = cancellationToken.Register(static d => ((Deferred)d!).Cancel(), this);
        task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <inheritdoc/>
    private protected override void InvokeCanceller(Delegate canceller) => ((Action<Deferred<T>>)canceller)(this);

    /// <summary>Appends a link and returns the chain viewed as producing <typeparamref name="TNext"/>.</summary>
    internal Deferred<TNext> Append<TNext>(in CallbackPair pair)
    {
        var c = _chain;
        c.ExtendAsFor(typeof(T), typeof(TNext));
        var view = typeof(TNext) == typeof(T) ? (Deferred<TNext>)(object)this : new Deferred<TNext>(c);
        c.AddPair(pair);
        return view;
    }

    /// <summary>The chain's current result as seen by this view (the chain must have fired).</summary>
    internal object? ChainResult => _chain.RawResult;
}
