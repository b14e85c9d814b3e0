using Reactor.Core;
using Reactor.Time;

namespace Reactor.Testing;

/// <summary>
/// A <see cref="MemoryReactor"/> that is also a deterministic clock (Twisted's
/// <c>MemoryReactorClock</c>): scheduled calls run when <see cref="Advance"/> moves time, with
/// the same ordering rules as the real reactor (it runs a <see cref="Clock"/>).
/// </summary>
public class MemoryReactorClock : MemoryReactor, IReactorTime
{
    private readonly Clock _clock;

    /// <summary>A reactor whose time starts at zero.</summary>
    public MemoryReactorClock()
        : this(new Clock())
    {
    }

    /// <summary>
    /// A reactor whose time is <paramref name="clock"/>: code given the clock and code given the
    /// reactor see the same time, and <see cref="Clock.Advance"/> on either moves both.
    /// </summary>
    public MemoryReactorClock(Clock clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <inheritdoc/>
    public TimeSpan Now => _clock.Now;

    /// <inheritdoc/>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => _clock.CallLater(delay, action);

    /// <inheritdoc/>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _clock.GetDelayedCalls();

    /// <summary>Moves time forward by <paramref name="amount"/> and runs what is due (one pass).</summary>
    public void Advance(TimeSpan amount) => _clock.Advance(amount);

    /// <summary>Advances by each amount in turn.</summary>
    public void Pump(IEnumerable<TimeSpan> amounts) => _clock.Pump(amounts);

    /// <summary>Runs the queued thread calls, then the timers due now (time does not move).</summary>
    public override void Iterate(TimeSpan timeout)
    {
        base.Iterate(timeout);
        _clock.Advance(TimeSpan.Zero);
    }
}
