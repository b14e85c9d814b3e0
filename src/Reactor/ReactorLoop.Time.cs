using System.Diagnostics;
using Reactor.Time;

namespace Reactor;

public sealed partial class ReactorLoop : Time.Internal.IPooledTimers
{
    /// <summary>Monotonic time since the reactor was created.</summary>
    public TimeSpan Now => Stopwatch.GetElapsedTime(_origin);

    /// <inheritdoc/>
    /// <remarks>
    /// Calls due at the same time run in the order they were scheduled. A call scheduled from
    /// inside a running call (even with a zero delay) runs at the next iteration, never the
    /// current one; <see cref="Clock"/> follows the same rule. An exception thrown by the call is
    /// logged and the loop goes on.
    /// </remarks>
    public IDelayedCall CallLater(TimeSpan delay, Action action)
    {
        CheckReactorThread(nameof(CallLater));
        return _timers.Schedule(delay, action);
    }

    /// <summary>
    /// Runs <paramref name="callback"/>(<paramref name="state"/>) after <paramref name="delay"/> on a
    /// pooled call: with a static lambda, nothing is allocated per call in steady state.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public TimerHandle CallLater<TState>(TimeSpan delay, Action<TState> callback, TState state)
    {
        CheckReactorThread(nameof(CallLater));
        return _timers.Schedule(delay, callback, state);
    }

    /// <inheritdoc/>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _timers.Snapshot();

    /// <summary>How long the selector may wait: zero if work is pending, until the next timed call, or null (no limit).</summary>
    private TimeSpan? TimeUntilNextWork()
    {
        if (_threadCalls.HasPending || _stopRequested) return TimeSpan.Zero;
        if (!_timers.TryGetNextDue(out long due)) return null;
        long remaining = due - Now.Ticks;
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(remaining);
    }
}
