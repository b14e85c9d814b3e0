using Microsoft.Extensions.Logging;

namespace Reactor.Time.Internal;

/// <summary>
/// The timed calls of one clock (a <c>ReactorLoop</c> or a <see cref="Clock"/>): a binary
/// min-heap ordered by (due time, scheduling sequence), so calls due at the same time run in the
/// order they were scheduled.
/// </summary>
/// <remarks>
/// <para>
/// The rule for calls made during a pass, shared by the loop and the Clock: <see cref="RunDue"/>
/// runs only calls that were scheduled (or last rescheduled with Reset/Delay) before the pass
/// started. A call scheduled or rescheduled from inside a running call waits for the next pass,
/// even when it is already due (a zero delay). One loop iteration is one pass; one
/// <see cref="Clock.Advance"/> is one pass. So self-rescheduling zero-delay work can never starve
/// the loop, and a Clock-driven test sees exactly what the loop would do.
/// </para>
/// <para>
/// Cancelling removes the entry from the heap at once (each entry knows its heap index), so the
/// heap never holds cancelled entries: a million schedule-and-cancel pairs leave it at its
/// starting size. The array shrinks again after a spike, once the heap has stayed sparse for a while.
/// </para>
/// </remarks>
internal sealed class TimerQueue
{
    private const int InitialCapacity = 16;

    private readonly IReactorTime _clock;
    private readonly ILogger _logger;
    private readonly bool _propagateExceptions;
    private TimerEntry[] _heap = new TimerEntry[InitialCapacity];
    private int _count;
    private long _nextSequence;

    // Entries met during a pass that were scheduled during that pass; pushed back when it ends.
    private readonly List<TimerEntry> _held = new();
    private bool _inPass;

    /// <summary>True while a pass runs timed calls (a new pass cannot start from inside one).</summary>
    internal bool InPass => _inPass;

    // Consecutive checks that found the heap sparse; reset whenever it fills up again (see ShrinkIfSparse).
    private int _sparseChecks;
    private const int SparseChecksBeforeShrink = 1024;
    private object?[] _pools = new object?[4];

    /// <param name="clock">Where the time is read.</param>
    /// <param name="logger">Where exceptions from calls are logged (the loop).</param>
    /// <param name="propagateExceptions">
    /// True for a test <see cref="Clock"/>: an exception from a call ends the pass and propagates to
    /// the caller of <see cref="RunDue"/>; the due calls not yet run stay queued for the next pass.
    /// </param>
    internal TimerQueue(IReactorTime clock, ILogger logger, bool propagateExceptions = false)
    {
        _clock = clock;
        _logger = logger;
        _propagateExceptions = propagateExceptions;
    }

    /// <summary>Entries in the heap (pending calls, outside a pass).</summary>
    internal int Count => _count;

    /// <summary>Length of the heap array: what the queue holds on to.</summary>
    internal int Capacity => _heap.Length;

    internal long NowTicks => _clock.Now.Ticks;

    /// <summary>Where the lateness of each call run is recorded (the reactor's metric), if anywhere.</summary>
    internal System.Diagnostics.Metrics.Histogram<double>? Lateness { get; set; }

    internal ILogger Logger => _logger;

    /// <summary>Schedules <paramref name="action"/> after <paramref name="delay"/>.</summary>
    internal IDelayedCall Schedule(TimeSpan delay, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(action);
        var call = new DelayedCall(this, action);
        Insert(call, AddSaturating(NowTicks, delay.Ticks));
        return call;
    }

    /// <summary>Schedules <paramref name="callback"/>(<paramref name="state"/>) on a pooled entry.</summary>
    internal TimerHandle Schedule<TState>(TimeSpan delay, Action<TState> callback, TState state)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(callback);
        var call = PoolFor<TState>().Rent();
        call.Arm(this, callback, state);
        Insert(call, AddSaturating(NowTicks, delay.Ticks));
        return new TimerHandle(call, call.Generation);
    }

    /// <summary>The due time of the earliest pending call, if any.</summary>
    internal bool TryGetNextDue(out long dueTicks)
    {
        if (_count == 0)
        {
            dueTicks = 0;
            return false;
        }
        dueTicks = _heap[0].DueTicks;
        return true;
    }

    /// <summary>
    /// One pass: runs, in (due time, scheduling order), every call due at the time the pass starts
    /// that was scheduled before the pass started. Exceptions are logged and the pass goes on — or,
    /// for a queue that propagates, the pass ends and the exception propagates.
    /// </summary>
    /// <returns>How many calls ran.</returns>
    internal int RunDue()
    {
        if (_inPass) throw new InvalidOperationException("Timed calls are already being run; a pass cannot start from inside one.");
        if (_count == 0)
        {
            ShrinkIfSparse();
            return 0; // nothing to run: don't even read the clock
        }
        long now = NowTicks;
        long passStart = _nextSequence;
        int ran = 0;
        _inPass = true;
        try
        {
            while (_count > 0)
            {
                var top = _heap[0];
                if (top.DueTicks > now) break;
                RemoveAt(0);
                if (top.Sequence >= passStart)
                {
                    top.Held = true;
                    _held.Add(top);
                    continue;
                }
                top.State = TimerState.Called;
                ran++;
                if (Lateness is { Enabled: true } lateness) lateness.Record(TimeSpan.FromTicks(now - top.DueTicks).TotalSeconds);
                try
                {
                    top.Invoke();
                }
                catch (Exception ex) when (!_propagateExceptions)
                {
                    TimeLog.DelayedCallFailed(_logger, ex);
                }
                finally
                {
                    top.Retire();
                }
            }
        }
        finally
        {
            _inPass = false;
            ReinsertHeld();
            ShrinkIfSparse();
        }
        return ran;
    }

    /// <summary>Removes a pending entry for good and marks it cancelled.</summary>
    internal void Cancel(TimerEntry entry)
    {
        entry.State = TimerState.Cancelled;
        if (entry.Held) return; // Retired when the pass hands the held entries back.
        RemoveAt(entry.HeapIndex);
        ShrinkIfSparse();
        entry.Retire();
    }

    /// <summary>Moves a pending entry to <paramref name="dueTicks"/>; it counts as newly scheduled for ordering.</summary>
    internal void Reschedule(TimerEntry entry, long dueTicks)
    {
        entry.DueTicks = dueTicks;
        entry.Sequence = _nextSequence++;
        if (entry.Held) return;
        int i = entry.HeapIndex;
        if (!SiftUp(i)) SiftDown(i);
    }

    /// <summary>Every pending call; pooled ones are seen through a view that checks their generation.</summary>
    internal IReadOnlyList<IDelayedCall> Snapshot()
    {
        var calls = new List<IDelayedCall>(_count + _held.Count);
        for (int i = 0; i < _count; i++) calls.Add(AsDelayedCall(_heap[i]));
        foreach (var held in _held)
        {
            if (held.State == TimerState.Pending) calls.Add(AsDelayedCall(held));
        }
        return calls;
    }

    internal PooledCallPool<TState> PoolFor<TState>()
    {
        int id = PooledCallTypeId<TState>.Value;
        if (id >= _pools.Length) Array.Resize(ref _pools, Math.Max(id + 1, _pools.Length * 2));
        return (PooledCallPool<TState>)(_pools[id] ??= new PooledCallPool<TState>());
    }

    internal static long AddSaturating(long ticks, long delta)
    {
        long sum = unchecked(ticks + delta);
        // Overflow happened iff both operands have the same sign and the sum's sign differs.
        if (((ticks ^ sum) & (delta ^ sum)) < 0) return delta > 0 ? long.MaxValue : long.MinValue;
        return sum;
    }

    private static IDelayedCall AsDelayedCall(TimerEntry entry) =>
        entry as IDelayedCall ?? new PooledCallView(new TimerHandle(entry, entry.Generation));

    private void Insert(TimerEntry entry, long dueTicks)
    {
        entry.DueTicks = dueTicks;
        entry.Sequence = _nextSequence++;
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        _heap[_count] = entry;
        entry.HeapIndex = _count;
        _count++;
        if (_count >= _heap.Length / 4) _sparseChecks = 0;
        SiftUp(_count - 1);
    }

    private void ReinsertHeld()
    {
        if (_held.Count == 0) return;
        foreach (var entry in _held)
        {
            entry.Held = false;
            if (entry.State != TimerState.Pending)
            {
                entry.Retire();
                continue;
            }
            if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
            _heap[_count] = entry;
            entry.HeapIndex = _count;
            _count++;
            SiftUp(_count - 1);
        }
        _held.Clear();
    }

    private void RemoveAt(int index)
    {
        var removed = _heap[index];
        removed.HeapIndex = TimerEntry.NotInHeap;
        _count--;
        if (index == _count)
        {
            _heap[_count] = null!;
            return;
        }
        var last = _heap[_count];
        _heap[_count] = null!;
        _heap[index] = last;
        last.HeapIndex = index;
        if (!SiftUp(index)) SiftDown(index);
    }

    private void ShrinkIfSparse()
    {
        // Give memory back after a spike, but only once the heap has stayed below a quarter of its
        // array for many checks in a row: a queue that empties at every pass and refills (a batch
        // of timers per iteration) must not reallocate each time.
        if (_heap.Length <= InitialCapacity * 4 || _count >= _heap.Length / 4)
        {
            _sparseChecks = 0;
            return;
        }
        if (++_sparseChecks < SparseChecksBeforeShrink) return;
        _sparseChecks = 0;
        Array.Resize(ref _heap, Math.Max(InitialCapacity, _heap.Length / 2));
    }

    private static bool Before(TimerEntry a, TimerEntry b) =>
        a.DueTicks < b.DueTicks || (a.DueTicks == b.DueTicks && a.Sequence < b.Sequence);

    /// <returns>True if the entry moved.</returns>
    private bool SiftUp(int index)
    {
        var entry = _heap[index];
        int start = index;
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            var p = _heap[parent];
            if (!Before(entry, p)) break;
            _heap[index] = p;
            p.HeapIndex = index;
            index = parent;
        }
        _heap[index] = entry;
        entry.HeapIndex = index;
        return index != start;
    }

    private void SiftDown(int index)
    {
        var entry = _heap[index];
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Before(_heap[child + 1], _heap[child])) child++;
            var c = _heap[child];
            if (!Before(c, entry)) break;
            _heap[index] = c;
            c.HeapIndex = index;
            index = child;
        }
        _heap[index] = entry;
        entry.HeapIndex = index;
    }
}
