using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Reactor.Core.Internal;

/// <summary>
/// The loop's own instruments: iteration duration, busy ratio, timer lateness, calls waiting to
/// come in from other threads. One per reactor, on the reactor's <see cref="Meter"/>.
/// </summary>
/// <remarks>
/// Iteration timing is taken only while a listener has enabled the histogram or the gauge, so
/// an unobserved loop reads no clock for it.
/// </remarks>
internal sealed class CoreInstruments
{
    private readonly Histogram<double> _iterationDuration;
    private readonly ObservableGauge<double> _busyRatio;
    private readonly Lock _observeLock = new();
    private long _busyTicks;      // loop thread writes, observers read (Interlocked)
    private long _lastObservedBusy;
    private long _lastObservedAt;

    public CoreInstruments(Meter meter, Func<int> pendingThreadCalls)
    {
        _iterationDuration = meter.CreateHistogram<double>("reactor.loop.iteration.duration", "s",
            "Time one loop iteration spends running calls, timers and dispatch (not waiting in the selector).", tags: null, DurationBuckets.Loop);
        _busyRatio = meter.CreateObservableGauge("reactor.loop.busy_ratio", ObserveBusyRatio, "1",
            "Share of wall time the loop spent working rather than waiting, since the previous observation (0 to 1).");
        TimerLateness = meter.CreateHistogram<double>("reactor.timer.lateness", "s",
            "How long after its due time a timed call (CallLater) ran.", tags: null, DurationBuckets.Loop);
        meter.CreateObservableUpDownCounter("reactor.thread_calls.pending", pendingThreadCalls, "{call}",
            "Calls handed to the loop with CallFromThread that have not run yet.");
        _lastObservedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>Recorded by the timer queue for each timed call it runs (when enabled).</summary>
    public Histogram<double> TimerLateness { get; }

    /// <summary>True while someone listens to the iteration timing (checked once per iteration).</summary>
    public bool TimingIterations => _iterationDuration.Enabled || _busyRatio.Enabled;

    /// <summary>One iteration took <paramref name="busyTicks"/> Stopwatch ticks of work.</summary>
    public void IterationDone(long busyTicks)
    {
        Interlocked.Add(ref _busyTicks, busyTicks);
        if (_iterationDuration.Enabled) _iterationDuration.Record((double)busyTicks / Stopwatch.Frequency);
    }

    private double ObserveBusyRatio()
    {
        lock (_observeLock)
        {
            var now = Stopwatch.GetTimestamp();
            var busy = Interlocked.Read(ref _busyTicks);
            var wall = now - _lastObservedAt;
            var ratio = wall <= 0 ? 0 : Math.Clamp((double)(busy - _lastObservedBusy) / wall, 0, 1);
            _lastObservedAt = now;
            _lastObservedBusy = busy;
            return ratio;
        }
    }
}
