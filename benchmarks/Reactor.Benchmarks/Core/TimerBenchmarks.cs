using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Time;

namespace Reactor.Benchmarks.Core;

/// <summary>
/// The timer queue, driven by the deterministic <see cref="Clock"/> so only the queue is measured:
/// schedule+fire and schedule+cancel, plain (<see cref="IDelayedCall"/>, one object per call) and
/// pooled (<c>CallLater&lt;TState&gt;</c>, expect 0 B), with <see cref="Pending"/> other calls
/// already in the heap (far in the future) to show the O(log n) cost.
/// </summary>
[MemoryDiagnoser]
public class TimerBenchmarks
{
    private const int Batch = 1000;
    private static readonly Action Nothing = () => { };
    private readonly Counter _counter = new();
    private Clock _clock = null!;

    /// <summary>Calls already pending in the heap.</summary>
    [Params(0, 1_000_000)]
    public int Pending { get; set; }

    /// <summary>Fills the heap with <see cref="Pending"/> calls due in an hour or later.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _clock = new Clock();
        for (int i = 0; i < Pending; i++) _clock.CallLater(TimeSpan.FromHours(1) + TimeSpan.FromTicks(i), Nothing);
    }

    /// <summary>Schedules <see cref="Batch"/> plain calls due now and fires them with one Advance.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void ScheduleAndFire()
    {
        for (int i = 0; i < Batch; i++) _clock.CallLater(TimeSpan.Zero, Nothing);
        _clock.Advance(TimeSpan.Zero);
    }

    /// <summary>Schedules <see cref="Batch"/> pooled calls due now and fires them with one Advance.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void ScheduleAndFirePooled()
    {
        for (int i = 0; i < Batch; i++) _clock.CallLater(TimeSpan.Zero, static (Counter c) => c.Value++, _counter);
        _clock.Advance(TimeSpan.Zero);
    }

    /// <summary>Schedules a plain call a minute out and cancels it.</summary>
    [Benchmark]
    public void ScheduleAndCancel() => _clock.CallLater(TimeSpan.FromMinutes(1), Nothing).Cancel();

    /// <summary>Schedules a pooled call a minute out and cancels it.</summary>
    [Benchmark]
    public bool ScheduleAndCancelPooled() =>
        _clock.CallLater(TimeSpan.FromMinutes(1), static (Counter c) => c.Value++, _counter).TryCancel();

    private sealed class Counter
    {
        public int Value;
    }
}
