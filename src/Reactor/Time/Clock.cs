using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Time.Internal;

namespace Reactor.Time;

/// <summary>
/// A deterministic <see cref="IReactorTime"/> for tests (Twisted's <c>task.Clock</c>): time stands
/// still until <see cref="Advance"/> moves it. It runs the reactor loop's own timer queue, so its
/// ordering rules are exactly the loop's.
/// </summary>
/// <remarks>
/// <para>
/// One <see cref="Advance"/> is one pass of the timer queue, as one loop iteration is: it runs the
/// calls due at the new time that were scheduled before it started, in (due time, scheduling order).
/// A call scheduled from inside a running call — even with a zero delay — runs at the next
/// <see cref="Advance"/> (use <c>Advance(TimeSpan.Zero)</c> to run it). Twisted's Clock would run it
/// in the same advance; its real reactor would not — we follow the reactor.
/// </para>
/// <para>
/// An exception thrown by a call propagates out of <see cref="Advance"/>, as from Twisted's
/// <c>Clock.advance</c>, so the test that advanced the clock sees it (and fails unless it expects it).
/// The calls that were due but had not run yet stay scheduled and run at the next <see cref="Advance"/>
/// (<c>Advance(TimeSpan.Zero)</c> runs them). The real reactor differs on purpose: it logs the
/// exception and runs the remaining calls, so one failing call never stops the loop.
/// </para>
/// </remarks>
public sealed class Clock : IReactorTime, Internal.IPooledTimers
{
    private readonly TimerQueue _queue;
    private TimeSpan _now;

    /// <summary>Creates a clock at time zero.</summary>
    public Clock()
    {
        _queue = new TimerQueue(this, NullLogger.Instance, propagateExceptions: true);
    }

    /// <inheritdoc/>
    public TimeSpan Now => _now;

    /// <inheritdoc/>
    public IDelayedCall CallLater(TimeSpan delay, Action action) => _queue.Schedule(delay, action);

    /// <summary>Runs <paramref name="callback"/>(<paramref name="state"/>) after <paramref name="delay"/>, on a pooled call.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public TimerHandle CallLater<TState>(TimeSpan delay, Action<TState> callback, TState state) =>
        _queue.Schedule(delay, callback, state);

    /// <inheritdoc/>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => _queue.Snapshot();

    /// <summary>Moves time forward by <paramref name="amount"/>, then runs the calls that are due (one pass).</summary>
    /// <remarks>
    /// If a call throws, the exception propagates from here after time has moved; the due calls that
    /// have not run yet run at the next <see cref="Advance"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a call this clock is running.</exception>
    public void Advance(TimeSpan amount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, TimeSpan.Zero);
        // Refuse before moving time: a refused Advance must leave the clock as it was.
        if (_queue.InPass) throw new InvalidOperationException("Timed calls are already being run; Advance cannot be called from inside one.");
        _now = TimeSpan.FromTicks(TimerQueue.AddSaturating(_now.Ticks, amount.Ticks));
        _queue.RunDue();
    }

    /// <summary>Advances by each amount in turn (Twisted's <c>pump</c>).</summary>
    public void Pump(IEnumerable<TimeSpan> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        foreach (var amount in amounts) Advance(amount);
    }

    /// <summary>The timer queue, for tests of its bookkeeping.</summary>
    internal TimerQueue Queue => _queue;
}
