namespace Reactor.Time.Internal;

/// <summary>
/// A clock that schedules a call with state on a pooled timer, allocating nothing per call (the
/// reactor loop and <see cref="Clock"/>). Lets layers below the loop use that without naming it.
/// </summary>
internal interface IPooledTimers
{
    /// <summary>Runs <paramref name="callback"/>(<paramref name="state"/>) after <paramref name="delay"/>.</summary>
    TimerHandle CallLater<TState>(TimeSpan delay, Action<TState> callback, TState state);
}
