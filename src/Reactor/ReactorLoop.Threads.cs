using Reactor.Core.Internal;

namespace Reactor;

public sealed partial class ReactorLoop : Core.Internal.ILoopServices
{
    // 1 while the loop is, or is about to be, blocked in the selector's Wait. Producers wake the
    // selector only then, so CallFromThread costs no system call while the loop is busy.
    private int _sleeping;

    // 1 once a call arriving after Dispose has been logged: later ones are dropped silently, so a
    // stream of late continuations cannot flood the log.
    private int _loggedLateCall;

    /// <inheritdoc/>
    /// <remarks>
    /// Calls run in the order they were made, at the start of the next iteration; calls queued
    /// while the queue is being run wait for the iteration after. An exception thrown by the call
    /// is logged and the loop goes on. After <see cref="Dispose"/> the call is dropped and the first
    /// such call is logged as a warning; nothing is thrown, because the caller is typically a worker
    /// or thread-pool thread finishing late, where an exception would take the process down.
    /// </remarks>
    public void CallFromThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        TryCallFromThread(new ThreadCall(action));
    }

    /// <summary>Queues a <see cref="SendOrPostCallback"/> without a closure (the synchronization context's Post); false if the reactor is disposed and the call was dropped.</summary>
    internal bool CallFromThread(SendOrPostCallback callback, object? state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return TryCallFromThread(new ThreadCall(callback, state));
    }

    /// <inheritdoc/>
    void Core.Internal.ILoopServices.CheckReactorThread(string member) => CheckReactorThread(member);

    /// <inheritdoc/>
    bool Core.Internal.ILoopServices.CallFromThread(SendOrPostCallback callback, object? state) => CallFromThread(callback, state);

    private bool TryCallFromThread(ThreadCall call)
    {
        if (_disposed)
        {
            if (Interlocked.Exchange(ref _loggedLateCall, 1) == 0) CoreLog.CallAfterDisposeDropped(Logger);
            return false;
        }
        _threadCalls.Enqueue(call);
        WakeIfSleeping();
        return true;
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
