using Reactor.Defer.Internal;
using Reactor.Time;

namespace Reactor.Defer;

/// <summary>
/// Calls a function repeatedly, every interval of a clock's time (Twisted's <c>task.LoopingCall</c>).
/// </summary>
/// <remarks>
/// <para>
/// Calls happen at <c>start + n × interval</c>. When a call (or the Deferred it returns) takes longer
/// than an interval, or the loop was blocked, the missed intervals are skipped — the next call is at the
/// next interval boundary strictly in the future — never run in a burst; <c>WithCount</c> tells
/// the function how many intervals passed. If the function returns a Deferred, the next call is not
/// scheduled until that Deferred fires. An interval of zero runs the function once per reactor iteration.
/// </para>
/// <para>Threading: use it on the thread that runs <see cref="Clock"/> (the reactor thread).</para>
/// </remarks>
public sealed class LoopingCall
{
    private readonly Action? _action;
    private readonly Func<Deferred?>? _function;
    private readonly Action _run;
    private Func<int, Deferred?>? _countCallable;
    private IDelayedCall? _call;
    private Deferred<LoopingCall>? _deferred;
    private TimeSpan _startTime;
    private TimeSpan? _realLastTime;
    private bool _runAtStart;

    /// <summary>Creates a looping call of <paramref name="action"/> on <paramref name="clock"/>; it does nothing until <see cref="Start"/>.</summary>
    public LoopingCall(IReactorTime clock, Action action)
        : this(clock)
    {
        ArgumentNullException.ThrowIfNull(action);
        _action = action;
    }

    /// <summary>
    /// Creates a looping call of <paramref name="function"/>, which may return a Deferred (or null): the
    /// next call waits until that Deferred fires, and a failure stops the loop.
    /// </summary>
    public LoopingCall(IReactorTime clock, Func<Deferred?> function)
        : this(clock)
    {
        ArgumentNullException.ThrowIfNull(function);
        _function = function;
    }

    private LoopingCall(IReactorTime clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        _run = Run;
    }

    /// <summary>
    /// A looping call that passes <paramref name="countCallable"/> the number of intervals that have
    /// elapsed since it last ran: normally 1, more when intervals were skipped; always 1 with a zero
    /// interval (Twisted's <c>LoopingCall.withCount</c>).
    /// </summary>
    public static LoopingCall WithCount(IReactorTime clock, Action<int> countCallable)
    {
        ArgumentNullException.ThrowIfNull(countCallable);
        return WithCount(clock, count =>
        {
            countCallable(count);
            return null;
        });
    }

    /// <summary>
    /// A counting looping call whose callable may return a Deferred: the next call waits until it fires,
    /// and the count then includes the intervals skipped meanwhile.
    /// </summary>
    public static LoopingCall WithCount(IReactorTime clock, Func<int, Deferred?> countCallable)
    {
        ArgumentNullException.ThrowIfNull(countCallable);
        var call = new LoopingCall(clock, static () => { });
        call._countCallable = countCallable;
        return call;
    }

    /// <summary>The clock whose time drives the calls.</summary>
    public IReactorTime Clock { get; }

    /// <summary>True from <see cref="Start"/> until <see cref="Stop"/> is called or the function fails.</summary>
    public bool Running { get; private set; }

    /// <summary>The interval given to <see cref="Start"/>, or null before the first start.</summary>
    public TimeSpan? Interval { get; private set; }

    /// <summary>
    /// Starts calling the function every <paramref name="interval"/>; with <paramref name="now"/> the
    /// first call happens right away, otherwise after one interval.
    /// </summary>
    /// <returns>
    /// A Deferred that fires with this LoopingCall once it is stopped, or errbacks with the function's
    /// failure (after which <see cref="Running"/> is false).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The loop is already running.</exception>
    public Deferred<LoopingCall> Start(TimeSpan interval, bool now = true)
    {
        if (Running) throw new InvalidOperationException("Tried to start an already running LoopingCall.");
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        Running = true;
        // The loop may fail during its first call and clear _deferred: keep our own reference.
        var deferred = _deferred = new Deferred<LoopingCall>();
        _startTime = Clock.Now;
        _realLastTime = null;
        Interval = interval;
        _runAtStart = now;
        if (now)
        {
            Run();
        }
        else
        {
            ScheduleFrom(_startTime);
        }
        return deferred;
    }

    /// <summary>Stops the loop; the Deferred returned by <see cref="Start"/> fires (at once, or when the running call's Deferred fires).</summary>
    /// <exception cref="InvalidOperationException">The loop is not running.</exception>
    public void Stop()
    {
        if (!Running) throw new InvalidOperationException("Tried to stop a LoopingCall that was not running.");
        Running = false;
        if (_call is not null)
        {
            _call.Cancel();
            _call = null;
            FireStopped();
        }
    }

    /// <summary>Skips the next call and restarts the interval from now.</summary>
    /// <exception cref="InvalidOperationException">The loop is not running.</exception>
    public void Reset()
    {
        if (!Running) throw new InvalidOperationException("Tried to reset a LoopingCall that was not running.");
        if (_call is not null)
        {
            _call.Cancel();
            _call = null;
            _startTime = Clock.Now;
            ScheduleFrom(_startTime);
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"LoopingCall<{Interval?.TotalSeconds}>({(_function ?? (Delegate?)_countCallable ?? _action)?.Method.Name})";

    private void Run()
    {
        _call = null;
        Deferred? result;
        try
        {
            result = Invoke();
        }
        catch (Exception e)
        {
            Failed(new Failure(e));
            return;
        }
        if (result is null)
        {
            Succeeded();
        }
        else
        {
            result.Owner.AddPair(CallbackPair.Both(this, OutcomeStep.Instance));
        }
    }

    private Deferred? Invoke()
    {
        if (_countCallable is not null) return Count();
        if (_function is not null) return _function();
        _action!();
        return null;
    }

    /// <summary>Calls the count callable with the number of interval boundaries crossed since its last run.</summary>
    private Deferred? Count()
    {
        var now = Clock.Now;
        var interval = Interval!.Value;
        if (interval == TimeSpan.Zero)
        {
            _realLastTime = now;
            return _countCallable!(1);
        }
        var lastTime = _realLastTime ?? (_runAtStart ? _startTime - interval : _startTime);
        long count = IntervalOf(now) - IntervalOf(lastTime);
        if (count <= 0) return null;
        _realLastTime = now;
        return _countCallable!((int)Math.Min(count, int.MaxValue));
    }

    private long IntervalOf(TimeSpan t) => (long)Math.Floor((double)(t - _startTime).Ticks / Interval!.Value.Ticks);

    private void Succeeded()
    {
        if (Running)
        {
            ScheduleFrom(Clock.Now);
        }
        else
        {
            FireStopped();
        }
    }

    private void Failed(Failure failure)
    {
        Running = false;
        var d = _deferred!;
        _deferred = null;
        d.Errback(failure);
    }

    private void FireStopped()
    {
        var d = _deferred!;
        _deferred = null;
        d.Callback(this);
    }

    /// <summary>Schedules the next call at the next interval boundary strictly after <paramref name="when"/>.</summary>
    private void ScheduleFrom(TimeSpan when)
    {
        var interval = Interval!.Value;
        TimeSpan delay;
        if (interval == TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }
        else
        {
            // Time is in integer ticks, so "effectively zero" cannot happen: this lies in (0, interval].
            long runningFor = (when - _startTime).Ticks;
            long intoInterval = ((runningFor % interval.Ticks) + interval.Ticks) % interval.Ticks;
            delay = TimeSpan.FromTicks(interval.Ticks - intoInterval);
        }
        _call = Clock.CallLater(delay, _run);
    }

    /// <summary>Continues the loop when the Deferred returned by the function fires; its result is consumed.</summary>
    private sealed class OutcomeStep : CallbackStep
    {
        internal static readonly OutcomeStep Instance = new();

        internal override object? Invoke(object target, object? argument)
        {
            var loop = (LoopingCall)target;
            if (argument is Failure failure)
            {
                loop.Failed(failure);
            }
            else
            {
                loop.Succeeded();
            }
            return null;
        }
    }
}
