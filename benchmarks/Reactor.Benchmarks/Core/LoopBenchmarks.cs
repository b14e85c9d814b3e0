using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Selectors;

namespace Reactor.Benchmarks.Core;

/// <summary>
/// The reactor loop per backend: an idle iteration (thread queue, timer pass, flush check, a
/// zero-timeout wait) and a pooled timer scheduled and fired through a real iteration. Both
/// must show 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class LoopBenchmarks
{
    private readonly Counter _counter = new();
    private ReactorLoop _reactor = null!;

    /// <summary>The selector backend.</summary>
    [Params(SelectorKind.Epoll, SelectorKind.Poll, SelectorKind.Select)]
    public SelectorKind Backend { get; set; }

    /// <summary>Creates the reactor.</summary>
    [GlobalSetup]
    public void Setup() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = Backend });

    /// <summary>Releases the reactor.</summary>
    [GlobalCleanup]
    public void Cleanup() => _reactor.Dispose();

    /// <summary>One iteration with nothing to do.</summary>
    [Benchmark]
    public void IdleIteration() => _reactor.Iterate(TimeSpan.Zero);

    /// <summary>A pooled zero-delay call scheduled, then fired by one iteration.</summary>
    [Benchmark]
    public void PooledTimerFiredByIteration()
    {
        _reactor.CallLater(TimeSpan.Zero, static (Counter c) => c.Value++, _counter);
        _reactor.Iterate(TimeSpan.Zero);
    }

    private sealed class Counter
    {
        public int Value;
    }
}

/// <summary>
/// The loop's own cost per idle iteration, without the system call: the same iteration over a
/// selector that returns at once (compare with <see cref="LoopBenchmarks.IdleIteration"/>).
/// </summary>
[MemoryDiagnoser]
public class LoopOverheadBenchmarks
{
    private ReactorLoop _reactor = null!;

    /// <summary>Creates the reactor over a selector that never blocks.</summary>
    [GlobalSetup]
    public void Setup() => _reactor = ReactorLoop.Create(new ReactorOptions { SelectorFactory = () => new ImmediateSelector() });

    /// <summary>Releases the reactor.</summary>
    [GlobalCleanup]
    public void Cleanup() => _reactor.Dispose();

    /// <summary>One iteration with nothing to do, minus the wait.</summary>
    [Benchmark]
    public void IdleIterationWithoutSyscall() => _reactor.Iterate(TimeSpan.Zero);

    private sealed class ImmediateSelector : ISelector
    {
        public SelectorKind Kind => SelectorKind.Poll;

        public void Register(int fd, Interest interest, long token) { }

        public void Modify(int fd, Interest interest, long token) { }

        public void Unregister(int fd) { }

        public int Wait(Span<SelectorEvent> events, TimeSpan? timeout) => 0;

        public void Wake() { }

        public void Dispose() { }
    }
}
