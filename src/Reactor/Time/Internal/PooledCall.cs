namespace Reactor.Time.Internal;

/// <summary>
/// A call scheduled with <c>CallLater&lt;TState&gt;</c>: recycled through its queue's pool once it has
/// run or been cancelled, so scheduling it allocates nothing in steady state. Callers hold a
/// <see cref="TimerHandle"/> whose generation tells whether it still refers to this use.
/// </summary>
internal sealed class PooledCall<TState> : TimerEntry
{
    private Action<TState>? _callback;
    private TState? _state;

    internal void Arm(TimerQueue queue, Action<TState> callback, TState state)
    {
        Queue = queue;
        _callback = callback;
        _state = state;
        State = TimerState.Pending;
    }

    internal override bool IsPooled => true;

    internal override void Invoke() => _callback!(_state!);

    internal override void Retire()
    {
        var queue = Queue!;
        _callback = null;
        _state = default;
        Queue = null;
        unchecked { Generation++; }
        queue.PoolFor<TState>().Return(this);
    }
}

/// <summary>A bounded free list of <see cref="PooledCall{TState}"/>, one per state type per queue.</summary>
internal sealed class PooledCallPool<TState>
{
    // Enough to absorb bursts of short timers without holding memory forever after a spike.
    private const int MaxRetained = 1024;

    private readonly Stack<PooledCall<TState>> _free = new();

    internal int Retained => _free.Count;

    internal PooledCall<TState> Rent() => _free.TryPop(out var call) ? call : new PooledCall<TState>();

    internal void Return(PooledCall<TState> call)
    {
        if (_free.Count < MaxRetained) _free.Push(call);
    }
}

/// <summary>
/// Gives each state type a small integer, so a queue finds its pool for <typeparamref name="TState"/>
/// by array index instead of a dictionary lookup.
/// </summary>
internal static class PooledCallTypeId<TState>
{
    internal static readonly int Value = PooledCallTypeIds.Next();
}

internal static class PooledCallTypeIds
{
    private static int s_last = -1;

    internal static int Next() => Interlocked.Increment(ref s_last);
}
