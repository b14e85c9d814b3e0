using Reactor.Core.Threading;
using Reactor.Time;

namespace Reactor.Core;

/// <summary>
/// A <see cref="TimeProvider"/> that reads and schedules on a reactor's <see cref="IReactorTime"/>:
/// hand it to .NET code that takes a TimeProvider (<c>Task.Delay</c>, <c>CancellationTokenSource</c>,
/// Polly, caches...) and that code's timers become the reactor's timed calls — on a
/// <see cref="Clock"/> in tests, so <c>Clock.Advance</c> drives them.
/// </summary>
/// <remarks>
/// <para>
/// Timestamps are the reactor's monotonic <see cref="IReactorTime.Now"/> in ticks
/// (<see cref="TimestampFrequency"/> = <see cref="TimeSpan.TicksPerSecond"/>). <see cref="GetUtcNow"/>
/// is the wall-clock time at creation plus the reactor time elapsed since, so it moves with a test clock.
/// </para>
/// <para>
/// Timer callbacks run where the reactor runs its timed calls (the reactor thread). A timer created,
/// changed or disposed on another thread while the reactor is a <see cref="ReactorLoop"/> is handed to
/// the reactor thread with <see cref="IReactorFromThreads.CallFromThread"/>, so .NET code on the thread
/// pool may use this provider safely. A callback that throws is treated like any timed call that throws.
/// </para>
/// </remarks>
public sealed class ReactorTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _utcAtZero;

    /// <summary>Creates a provider over <paramref name="time"/>.</summary>
    /// <param name="time">The reactor or clock to read and schedule on.</param>
    /// <param name="utcNow">The wall-clock time that the reactor's current time stands for; now by default.</param>
    public ReactorTimeProvider(IReactorTime time, DateTimeOffset? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        _utcAtZero = (utcNow ?? DateTimeOffset.UtcNow) - time.Now;
    }

    /// <summary>The reactor time this provider reads and schedules on.</summary>
    public IReactorTime Time { get; }

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => Time.Now.Ticks;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _utcAtZero + Time.Now;

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ReactorTimer.Validate(dueTime, period);
        var timer = new ReactorTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Runs <paramref name="action"/> on the reactor thread: now if this is it, else handed over.</summary>
    internal void OnReactorThread(Action action)
    {
        if (Time is IReactorThreadIdentity { IsReactorThread: false } && Time is IReactorFromThreads threads)
        {
            threads.CallFromThread(action);
        }
        else
        {
            action();
        }
    }

    /// <summary>An <see cref="ITimer"/> made of one reactor timed call at a time.</summary>
    private sealed class ReactorTimer(ReactorTimeProvider provider, TimerCallback callback, object? state) : ITimer
    {
        private IDelayedCall? _call;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private volatile bool _disposed;

        internal static void Validate(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "dueTime must be non-negative or Timeout.InfiniteTimeSpan.");
            if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(nameof(period), period, "period must be non-negative or Timeout.InfiniteTimeSpan.");
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime, period);
            if (_disposed) return false;
            provider.OnReactorThread(() => Schedule(dueTime, period));
            return true;
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            provider.OnReactorThread(CancelCall);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed) return;
            CancelCall();
            // As System.Threading.Timer: a zero or infinite period means "fire once".
            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan) _call = provider.Time.CallLater(dueTime, Fire);
        }

        private void CancelCall()
        {
            if (_call is { Active: true } call) call.Cancel();
            _call = null;
        }

        private void Fire()
        {
            _call = null;
            if (_disposed) return;
            // Schedule the next period before the callback, so a callback that throws does not stop the timer.
            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero) _call = provider.Time.CallLater(_period, Fire);
            callback(state);
        }
    }
}
