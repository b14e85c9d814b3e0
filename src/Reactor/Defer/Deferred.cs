using System.Text;
using Reactor.Defer.Internal;

namespace Reactor.Defer;

/// <summary>
/// What every <see cref="Deferred{T}"/> shares, whatever its result type: the callback chain itself
/// (Twisted's <c>twisted.internet.defer.Deferred</c>), plus the factories (<see cref="Succeed{T}(T)"/>,
/// <see cref="Fail{T}(Exception)"/>, <see cref="MaybeDeferred{T}(Func{T})"/>, ...).
/// </summary>
/// <remarks>
/// <para>
/// A chain fires once, with a result or a <see cref="Failure"/>, and passes it through its
/// callback/errback pairs in order; which side of a pair runs depends on whether the result entering
/// the pair is a <see cref="Failure"/>. A callback that throws moves the chain to the error path, an
/// errback that returns a value moves it back, and a callback that returns a Deferred makes the chain
/// wait for that Deferred's result. Chains of Deferreds run iteratively, without growing the stack.
/// </para>
/// <para>
/// Threading: a Deferred is not thread-safe. Fire it and add callbacks on one thread (normally the
/// reactor thread); callbacks run synchronously on the thread that fires it or adds them.
/// </para>
/// </remarks>
public abstract partial class Deferred
{
    /// <summary>The Deferred that owns the chain state: this one, or the one this typed view was made from.</summary>
    private protected readonly Deferred _chain;

    // Chain state. Only the owner's fields are used; a typed view forwards everything to its owner.
    private object? _result;
    private bool _called;
    private int _paused;
    private bool _running;
    private bool _suppressAlreadyCalled;
    private Delegate? _canceller;
    private CallbackList _callbacks;
    private Type? _tailType;
    private DeferredDebugInfo? _debugInfo;
    private UnhandledFailureReport? _unhandled;

    /// <summary>Creates a chain owner.</summary>
    private protected Deferred(Delegate? canceller, Type resultType)
    {
        _chain = this;
        _canceller = canceller;
        _tailType = resultType;
        if (Debug) _debugInfo = new DeferredDebugInfo { Creator = DeferredDebugInfo.CaptureStack() };
    }

    /// <summary>Creates a typed view of <paramref name="owner"/>'s chain.</summary>
    private protected Deferred(Deferred owner) => _chain = owner;

    /// <summary>True once <c>Callback</c> or <c>Errback</c> has been called (even if the chain is paused or waiting).</summary>
    public bool Called => _chain._called;

    /// <summary>True while <see cref="Pause"/> has been called more often than <see cref="Unpause"/>, or while the chain waits on another Deferred.</summary>
    public bool Paused => _chain._paused > 0;

    /// <summary>
    /// True when the chain has a result that no callback is still working on: it has fired, is not
    /// paused, is not waiting on another Deferred and has no callbacks left to run.
    /// </summary>
    public bool HasResult
    {
        get
        {
            var c = _chain;
            return c._called && c._paused == 0 && !c._running && c._callbacks.IsEmpty && c._result is not Deferred;
        }
    }

    /// <summary>Fires the chain on the error path with <paramref name="failure"/>.</summary>
    /// <exception cref="AlreadyCalledError">The Deferred has already been fired.</exception>
    public void Errback(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        _chain.StartRunCallbacks(failure);
    }

    /// <summary>Fires the chain on the error path with a <see cref="Failure"/> wrapping <paramref name="exception"/>.</summary>
    /// <exception cref="AlreadyCalledError">The Deferred has already been fired.</exception>
    public void Errback(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _chain.StartRunCallbacks(new Failure(exception));
    }

    /// <summary>
    /// Runs <paramref name="callback"/> once the chain has a result, on either path, and leaves the
    /// result untouched (a <c>finally</c>) — for code that holds a Deferred of any result type, such as
    /// a "before shutdown" trigger waiting for a Deferred to fire.
    /// </summary>
    /// <returns>This Deferred.</returns>
    public Deferred AddBoth(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _chain.AddPair(CallbackPair.Both(callback, FinallyStep.Instance));
        return this;
    }

    /// <summary>Stops the chain from running callbacks until a matching <see cref="Unpause"/>. Calls nest.</summary>
    public void Pause() => _chain._paused++;

    /// <summary>Undoes one <see cref="Pause"/>; when none is left and the Deferred has fired, the remaining callbacks run now.</summary>
    /// <exception cref="InvalidOperationException">The Deferred is not paused.</exception>
    public void Unpause()
    {
        var c = _chain;
        if (c._paused == 0) throw new InvalidOperationException("Unpause called on a Deferred that is not paused.");
        c._paused--;
        if (c._paused == 0 && c._called) c.RunCallbacks();
    }

    /// <summary>
    /// Cancels the operation behind this Deferred. If it has not fired, the canceller given at
    /// construction runs; if the Deferred has still not fired afterwards it is errbacked with
    /// <see cref="CancelledError"/>. If it has fired and is waiting on another Deferred, that one is
    /// cancelled instead. Otherwise this does nothing.
    /// </summary>
    /// <remarks>
    /// Unlike Twisted (its issues #6676 and #9534), a canceller that throws does not leave the Deferred
    /// pending: it is errbacked with the canceller's exception. Without a canceller (or when the
    /// canceller threw), one later <c>Callback</c>/<c>Errback</c> from the abandoned operation is ignored.
    /// </remarks>
    public void Cancel()
    {
        var c = _chain;
        if (!c._called)
        {
            var canceller = c._canceller;
            if (canceller is null)
            {
                c._suppressAlreadyCalled = true;
            }
            else
            {
                try
                {
                    c.InvokeCanceller(canceller);
                }
                catch (Exception e)
                {
                    if (!c._called)
                    {
                        c._suppressAlreadyCalled = true;
                        c.StartRunCallbacks(new Failure(e));
                    }
                    else
                    {
                        LogCancellerError(e);
                    }
                    return;
                }
            }
            if (!c._called) c.StartRunCallbacks(new Failure(new CancelledError()));
        }
        else if (c._result is Deferred awaited)
        {
            awaited.Cancel();
        }
    }

    /// <summary>Calls the owner's typed canceller with the owner itself.</summary>
    private protected abstract void InvokeCanceller(Delegate canceller);

    /// <inheritdoc/>
    public override string ToString()
    {
        var c = _chain;
        var sb = new StringBuilder("<Deferred at 0x").Append(c.GetHashCode().ToString("x"));
        if (c._called && c._result is Deferred awaited)
        {
            // While waiting, the result slot holds the Deferred waited on (as in Twisted).
            sb.Append(" waiting on Deferred at 0x").Append(awaited.GetHashCode().ToString("x"));
        }
        else if (c._called)
        {
            sb.Append(" current result: ").Append(c._result?.ToString() ?? "null");
        }
        return sb.Append('>').ToString();
    }

    // ----- chain engine (called on the owner) -----

    /// <summary>The result type the last link of the chain produces; a view of another type may not extend it.</summary>
    internal void ExtendAsFor(Type viewType, Type nextType)
    {
        if (_tailType != viewType)
        {
            throw new InvalidOperationException(
                $"This Deferred<{viewType.Name}> is a stale view: the chain now produces {_tailType?.Name}. " +
                "Add callbacks to the Deferred returned by the previous AddCallback.");
        }
        _tailType = nextType;
    }

    /// <summary>Checks that a view of <paramref name="viewType"/> may read the chain's current result.</summary>
    internal void CheckTailFor(Type viewType)
    {
        if (_tailType != viewType)
        {
            throw new InvalidOperationException(
                $"This Deferred<{viewType.Name}> is a stale view: the chain now produces {_tailType?.Name}.");
        }
    }

    /// <summary>Appends a link and, if the chain has fired, runs it now (Twisted's <c>addCallbacks</c>).</summary>
    internal void AddPair(in CallbackPair pair)
    {
        _callbacks.Add(pair);
        if (_called) RunCallbacks();
    }

    /// <summary>The owner's raw result: a value, a <see cref="Failure"/>, or the Deferred it waits on.</summary>
    internal object? RawResult => _result;

    /// <summary>The Deferred that owns this chain's state.</summary>
    internal Deferred Owner => _chain;

    /// <summary>Marks the chain's failure as handled (it was awaited or consumed).</summary>
    internal void ClearUnhandledOfChain() => _chain.ClearUnhandled();

    /// <summary>Fires the chain (Twisted's <c>_startRunCallbacks</c>).</summary>
    internal void StartRunCallbacks(object? result)
    {
        if (_called)
        {
            if (_suppressAlreadyCalled)
            {
                _suppressAlreadyCalled = false;
                return;
            }
            throw new AlreadyCalledError(_debugInfo?.Describe());
        }
        if (Debug)
        {
            _debugInfo ??= new DeferredDebugInfo();
            _debugInfo.Invoker = DeferredDebugInfo.CaptureStack();
        }
        _called = true;
        _canceller = null; // drop the reference: it can no longer run
        _result = result;
        RunCallbacks();
    }

    /// <summary>
    /// Makes a Deferred that has not fired wait on <paramref name="inner"/>, exactly as if it had fired
    /// and its first callback had returned <paramref name="inner"/>.
    /// </summary>
    internal void WaitOn(Deferred inner)
    {
        inner = inner._chain;
        _called = true;
        _canceller = null;
        _result = inner;
        _paused++;
        inner.AddPair(new CallbackPair(this, ContinueStep.Instance, this, ContinueStep.Instance));
    }

    /// <summary>
    /// Runs the pending links (Twisted's <c>_runCallbacks</c>). Deferreds that wait on each other are
    /// processed with an explicit stack rather than recursion, so a chain of any length fires at a
    /// constant stack depth.
    /// </summary>
    internal void RunCallbacks()
    {
        // A callback of this Deferred added another link: the loop below is already running and will
        // reach it once the current callback returns.
        if (_running) return;

        Deferred current = this;
        List<Deferred>? waiting = null;
        while (true)
        {
            // A paused Deferred produces nothing; everyone waiting on it keeps waiting.
            if (current._paused > 0) return;

            bool finished = true;
            while (!current._callbacks.IsEmpty)
            {
                CallbackPair pair = current._callbacks.TakeFirst();
                object? result = current._result;
                bool failed = result is Failure;
                CallbackStep? step = failed ? pair.ErrbackStep : pair.CallbackStep;
                if (step is null) continue; // this side passes the result through

                object target = (failed ? pair.Errback : pair.Callback)!;
                if (ReferenceEquals(step, ContinueStep.Instance))
                {
                    // Hand our result to the Deferred that was waiting on us, then run it; our own
                    // result becomes null, as in Twisted.
                    var chainee = (Deferred)target;
                    chainee._result = result;
                    current._result = null;
                    current.ClearUnhandled();
                    chainee._paused--;
                    (waiting ??= new List<Deferred>()).Add(current);
                    current = chainee;
                    finished = false;
                    break;
                }

                current._running = true;
                try
                {
                    result = step.Invoke(target, result);
                }
                catch (Exception e)
                {
                    result = new Failure(e);
                }
                finally
                {
                    current._running = false;
                }

                if (result is Deferred returned)
                {
                    var inner = returned._chain;
                    if (ReferenceEquals(inner, current))
                    {
                        // Twisted only warns here and then waits on itself forever; fail loudly instead.
                        current._result = new Failure(new InvalidOperationException(
                            "A callback returned the Deferred it was attached to; the chain would wait on itself forever."));
                        continue;
                    }
                    if (!inner._called || inner._result is Deferred || inner._paused > 0)
                    {
                        // Not ready: wait on it. Its continuation link resumes us when it has a result.
                        current._result = inner;
                        current._paused++;
                        inner._callbacks.Add(new CallbackPair(current, ContinueStep.Instance, current, ContinueStep.Instance));
                        break;
                    }
                    // Ready: take its result now (no pause, no recursion); the failure, if any, is ours now.
                    result = inner._result;
                    inner._result = null;
                    inner.ClearUnhandled();
                }
                current._result = result;
            }

            if (finished)
            {
                if (current._result is Failure failure)
                {
                    current.MarkUnhandled(failure);
                }
                else
                {
                    current.ClearUnhandled();
                }
                if (waiting is null || waiting.Count == 0) return;
                current = waiting[^1];
                waiting.RemoveAt(waiting.Count - 1);
            }
        }
    }

    /// <summary>The chain ended on a Failure: report it if nothing handles it before the Deferred is collected.</summary>
    private void MarkUnhandled(Failure failure)
    {
        _unhandled ??= new UnhandledFailureReport();
        _unhandled.Arm(failure, _debugInfo);
    }

    /// <summary>The failure was handled, awaited or handed on: nothing to report.</summary>
    internal void ClearUnhandled() => _unhandled?.Disarm();

    private static void LogCancellerError(Exception e) =>
        Internal.DeferLog.CancellerRaisedAfterFiring(LoggerOfThisThread, e);
}
