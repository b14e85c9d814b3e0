namespace Reactor.Time;

/// <summary>
/// Scheduling by time (Twisted's <c>IReactorTime</c>). The real reactor and the deterministic
/// <c>Clock</c> implement it with exactly the same ordering rules, so code driven by one behaves
/// the same under the other.
/// </summary>
public interface IReactorTime
{
    /// <summary>The current time of this reactor: monotonic, from an arbitrary origin.</summary>
    TimeSpan Now { get; }

    /// <summary>The current time in seconds, as Twisted's <c>seconds()</c>.</summary>
    double Seconds() => Now.TotalSeconds;

    /// <summary>
    /// Runs <paramref name="action"/> once <paramref name="delay"/> has elapsed. Calls due at the
    /// same time run in the order they were scheduled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    IDelayedCall CallLater(TimeSpan delay, Action action);

    /// <summary>
    /// Runs <paramref name="callback"/>(<paramref name="state"/>) once <paramref name="delay"/> has
    /// elapsed, with the same ordering rules as <see cref="CallLater(TimeSpan, Action)"/>. The reactor
    /// loop and <see cref="Clock"/> recycle the call once it has run or been cancelled, so a static
    /// callback with its state passed here allocates nothing per call in steady state. This default
    /// implementation, for other implementations of the interface, does not pool.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    TimerHandle CallLater<TState>(TimeSpan delay, Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new TimerHandle(CallLater(delay, () => callback(state)));
    }

    /// <summary>The calls scheduled and still active, in no particular order.</summary>
    IReadOnlyList<IDelayedCall> GetDelayedCalls();
}
