using Reactor.Core.Internal;

namespace Reactor;

public sealed partial class ReactorLoop
{
    // 1 while the loop is, or is about to be, blocked in the selector's Wait. Producers wake the
    // selector only then, so CallFromThread costs no system call while the loop is busy.
    private int _sleeping;

    /// <inheritdoc/>
    /// <remarks>
    /// Calls run in the order they were made, at the start of the next iteration; calls queued
    /// while the queue is being run wait for the iteration after. An exception thrown by the call
    /// is logged and the loop goes on.
    /// </remarks>
    public void CallFromThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _threadCalls.Enqueue(new ThreadCall(action));
        WakeIfSleeping();
    }

    /// <summary>Queues a <see cref="SendOrPostCallback"/> without a closure (the synchronization context's Post).</summary>
    internal void CallFromThread(SendOrPostCallback callback, object? state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _threadCalls.Enqueue(new ThreadCall(callback, state));
        WakeIfSleeping();
    }

    private void WakeIfSleeping()
    {
        // Pairs with the full fence in PrepareToSleep: either the loop sees our call before it
        // blocks, or we see it sleeping and wake it. Only the producer that flips the flag wakes.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
        {
            _selector.Wake();
        }
    }

    /// <summary>Announces that the loop is about to block; returns the timeout to use (zero if calls arrived meanwhile).</summary>
    private TimeSpan? PrepareToSleep(TimeSpan? timeout)
    {
        if (timeout == TimeSpan.Zero) return timeout;
        Interlocked.Exchange(ref _sleeping, 1);
        return _threadCalls.HasPending ? TimeSpan.Zero : timeout;
    }

    private void WokeUp() => Volatile.Write(ref _sleeping, 0);
}
