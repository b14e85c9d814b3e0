namespace Reactor.Time.Internal;

/// <summary>Where a timer is in its life.</summary>
internal enum TimerState : byte
{
    /// <summary>Scheduled and not yet run.</summary>
    Pending,

    /// <summary>Run (the state is set before the callable runs, as in Twisted).</summary>
    Called,

    /// <summary>Cancelled before it ran.</summary>
    Cancelled,
}

/// <summary>
/// One scheduled call as the <see cref="TimerQueue"/> sees it: its due time, its place in the
/// scheduling order and its slot in the heap. Subclasses say what to run.
/// </summary>
internal abstract class TimerEntry
{
    /// <summary>Due time, in <see cref="TimeSpan"/> ticks of the owning clock.</summary>
    internal long DueTicks;

    /// <summary>Scheduling order: ties on <see cref="DueTicks"/> run lowest first (FIFO).</summary>
    internal long Sequence;

    /// <summary>Index in the heap array; <see cref="NotInHeap"/> when outside it.</summary>
    internal int HeapIndex = NotInHeap;

    /// <summary>Set while the entry sits in the pass's hold list (scheduled during the pass, see <see cref="TimerQueue.RunDue"/>).</summary>
    internal bool Held;

    /// <summary>Where the entry is in its life.</summary>
    internal TimerState State;

    /// <summary>Bumped each time a pooled entry is recycled, so stale <see cref="TimerHandle"/>s see they no longer own it.</summary>
    internal int Generation;

    /// <summary>The queue the entry is scheduled on (null once recycled).</summary>
    internal TimerQueue? Queue;

    internal const int NotInHeap = -1;

    /// <summary>Runs the scheduled code. Exceptions propagate to the queue, which logs them.</summary>
    internal abstract void Invoke();

    /// <summary>Called once the entry has run or been cancelled and left every queue structure.</summary>
    internal virtual void Retire() { }

    /// <summary>Whether this entry is a pooled call (its identity is reused after it retires).</summary>
    internal virtual bool IsPooled => false;
}
