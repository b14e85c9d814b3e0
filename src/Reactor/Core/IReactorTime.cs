namespace Reactor.Core;

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

    /// <summary>The calls scheduled and still active, in no particular order.</summary>
    IReadOnlyList<IDelayedCall> GetDelayedCalls();
}
