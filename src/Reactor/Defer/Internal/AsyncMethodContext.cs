namespace Reactor.Defer.Internal;

/// <summary>
/// The ambient state of one async method run by <see cref="Deferred.EnsureDeferred{T}(Func{Task{T}})"/>:
/// which Deferreds it is awaiting right now, so that cancelling its Deferred can cancel them (Twisted's
/// <c>_CancellationStatus.waitingOn</c>). It flows into the method, and the async methods it calls,
/// through an <see cref="AsyncLocal{T}"/>.
/// </summary>
internal sealed class AsyncMethodContext
{
    private static readonly AsyncLocal<AsyncMethodContext?> Ambient = new();
    private readonly List<Deferred> _awaiting = new(1);

    internal static AsyncMethodContext? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    // Async methods the method calls may run concurrently on other threads (Task.WhenAll), hence the lock.
    internal void StartAwaiting(Deferred deferred)
    {
        lock (_awaiting) _awaiting.Add(deferred);
    }

    internal void StopAwaiting(Deferred deferred)
    {
        lock (_awaiting) _awaiting.Remove(deferred);
    }

    internal bool IsAwaiting
    {
        get
        {
            lock (_awaiting) return _awaiting.Count > 0;
        }
    }

    /// <summary>Cancels every Deferred the method is awaiting.</summary>
    internal void CancelAwaited()
    {
        Deferred[] awaited;
        lock (_awaiting) awaited = _awaiting.ToArray();
        foreach (var deferred in awaited) deferred.Cancel();
    }
}

/// <summary>Connects an async method's <see cref="Task{T}"/> to the Deferred that represents it.</summary>
internal sealed class AsyncMethodRun<T>
{
    internal readonly AsyncMethodContext Context = new();
    internal readonly Deferred<T> Deferred;
    private Deferred<T> _target;

    internal AsyncMethodRun()
    {
        Deferred = new Deferred<T>(Cancel);
        _target = Deferred;
    }

    private void Cancel(Deferred<T> deferred)
    {
        if (!Context.IsAwaiting) return; // nothing to interrupt: the Deferred errbacks with CancelledError
        // Keep the Deferred pending on a fresh one that the method's eventual outcome fires, then
        // interrupt what the method awaits: it sees CancelledError at its await and may handle it.
        var next = new Deferred<T>(Cancel);
        _target = next;
        deferred.Owner.WaitOn(next);
        Context.CancelAwaited();
    }

    internal void Watch(Task<T> task)
    {
        if (task.IsCompleted)
        {
            Complete(task);
            return;
        }
        // Complete the Deferred synchronously where the method finished (the reactor thread, when its last
        // await resumed there). An awaiter continuation would not do: with a SynchronizationContext current,
        // the runtime refuses to inline it and queues it to the thread pool.
        task.ContinueWith(
            static (t, state) => ((AsyncMethodRun<T>)state!).Complete(t),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Complete(Task<T> task) => TaskOutcome.Fire(_target, task);
}

/// <summary>Fires a Deferred with a completed task's outcome.</summary>
internal static class TaskOutcome
{
    /// <summary>
    /// Fires <paramref name="deferred"/> with the result or exception of <paramref name="task"/>; does
    /// nothing if the Deferred was already fired (cancelled while the task ran).
    /// </summary>
    internal static void Fire<T>(Deferred<T> deferred, Task<T> task)
    {
        if (deferred.Called) return;
        if (task.IsCompletedSuccessfully)
        {
            deferred.Callback(task.Result);
            return;
        }
        try
        {
            // Rethrows the original exception (for a cancelled task, the OperationCanceledException it ended with).
            task.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            deferred.Errback(e);
        }
    }
}
