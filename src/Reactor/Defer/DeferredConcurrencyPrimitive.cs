namespace Reactor.Defer;

/// <summary>
/// What <see cref="DeferredLock"/> and <see cref="DeferredSemaphore"/> share (Twisted's
/// <c>_ConcurrencyPrimitive</c>): an <see cref="Acquire"/> that returns a Deferred, a
/// <see cref="Release"/>, and <c>Run</c>, which calls a function once acquired and releases when the
/// function's result (or failure) arrives.
/// </summary>
/// <remarks>
/// Waiters are served first come, first served. Cancelling a waiting <see cref="Acquire"/> removes it
/// from the queue (its Deferred fails with <see cref="CancelledError"/>); cancelling one that has
/// already fired does nothing — the holder must still call <see cref="Release"/>. Like every Deferred,
/// these are not thread-safe: use them on one thread (normally the reactor's).
/// </remarks>
/// <typeparam name="TSelf">The concrete primitive, which each acquisition fires with.</typeparam>
public abstract class DeferredConcurrencyPrimitive<TSelf>
    where TSelf : DeferredConcurrencyPrimitive<TSelf>
{
    private readonly LinkedList<Deferred<TSelf>> _waiting = new();

    private protected DeferredConcurrencyPrimitive()
    {
    }

    /// <summary>How many <see cref="Acquire"/> calls are waiting (Twisted's <c>len(waiting)</c>).</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>
    /// Asks for the primitive: the Deferred fires with it (at once if it is free, otherwise when a
    /// <see cref="Release"/> hands it over). Cancelling the Deferred before it fires withdraws the request.
    /// </summary>
    public Deferred<TSelf> Acquire()
    {
        var d = new Deferred<TSelf>(CancelAcquire);
        if (TryTake())
        {
            d.Callback((TSelf)this);
        }
        else
        {
            _waiting.AddLast(d);
        }
        return d;
    }

    /// <summary>Gives the primitive back; the oldest waiting <see cref="Acquire"/>, if any, gets it now.</summary>
    /// <exception cref="InvalidOperationException">Released more often than acquired.</exception>
    public void Release()
    {
        Give();
        if (_waiting.First is { } first)
        {
            _waiting.RemoveFirst();
            bool taken = TryTake();
            System.Diagnostics.Debug.Assert(taken, "a released primitive can be taken");
            first.Value.Callback((TSelf)this);
        }
    }

    /// <summary>
    /// Acquires, calls <paramref name="function"/>, and releases once its result is known, whether it
    /// succeeded or failed (Twisted's <c>run</c>). The returned Deferred fires with the function's result.
    /// </summary>
    public Deferred<T> Run<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Acquire().AddCallback(_ => Deferred.MaybeDeferred(function).AddBoth(Release));
    }

    /// <summary>Acquires, calls <paramref name="function"/>, and releases when the Deferred it returns fires.</summary>
    public Deferred<T> Run<T>(Func<Deferred<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Acquire().AddCallback(_ => Deferred.MaybeDeferred(function).AddBoth(Release));
    }

    /// <summary>Acquires, starts the async <paramref name="function"/>, and releases when its task completes.</summary>
    public Deferred<T> Run<T>(Func<Task<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Acquire().AddCallback(_ => Deferred.EnsureDeferred(function).AddBoth(Release));
    }

    /// <summary>Takes one unit if one is free.</summary>
    private protected abstract bool TryTake();

    /// <summary>Returns one unit; throws <see cref="InvalidOperationException"/> if none is out.</summary>
    private protected abstract void Give();

    private void CancelAcquire(Deferred<TSelf> d)
    {
        // Twisted's _cancelAcquire: a waiting request leaves the queue; the Deferred then fails with CancelledError.
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            if (ReferenceEquals(node.Value, d))
            {
                _waiting.Remove(node);
                return;
            }
        }
    }
}
