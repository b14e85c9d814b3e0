using BenchmarkDotNet.Attributes;
using Reactor.Defer;

namespace Reactor.Benchmarks.Defer;

/// <summary>
/// The cost of Deferred chains: one callback, ten callbacks, a nested Deferred, and awaiting a
/// Deferred that already fired. Twisted's local baseline for "Deferred() + 4 addCallback + callback"
/// is ~4.3 µs (research/twisted.md §5).
/// </summary>
[MemoryDiagnoser]
public class DeferredBenchmarks
{
    private static readonly Func<int, int> Increment = static x => x + 1;
    private static readonly Func<int, Deferred<int>> IncrementLater = static x => Deferred.Succeed(x + 1);

    private Deferred<int> _fired = null!;

    /// <summary>Prepares the Deferred that the await benchmarks await.</summary>
    [GlobalSetup]
    public void Setup() => _fired = Deferred.Succeed(41);

    /// <summary>A Deferred with one callback, created and fired.</summary>
    [Benchmark(Baseline = true)]
    public int OneCallback()
    {
        var d = new Deferred<int>();
        int seen = 0;
        d.AddCallback(Increment);
        d.Callback(1);
        if (d.HasResult) seen = 1;
        return seen;
    }

    /// <summary>A Deferred with ten callbacks, created and fired.</summary>
    [Benchmark]
    public bool TenCallbacks()
    {
        var d = new Deferred<int>();
        for (int i = 0; i < 10; i++) d.AddCallback(Increment);
        d.Callback(1);
        return d.HasResult;
    }

    /// <summary>A callback returning a Deferred that has not fired yet; the outer chain waits, then continues.</summary>
    [Benchmark]
    public bool NestedPending()
    {
        var inner = new Deferred<int>();
        var outer = new Deferred<int>();
        outer.AddCallback(_ => inner).AddCallback(Increment);
        outer.Callback(1);
        inner.Callback(2);
        return outer.HasResult;
    }

    /// <summary>A callback returning a Deferred that already fired: its result is taken over at once.</summary>
    [Benchmark]
    public bool NestedReady()
    {
        var outer = new Deferred<int>();
        outer.AddCallback(IncrementLater).AddCallback(Increment);
        outer.Callback(1);
        return outer.HasResult;
    }

    /// <summary>The awaiter protocol on a Deferred that already fired (what <c>await</c> compiles to on the fast path).</summary>
    [Benchmark]
    public int AwaitFiredAwaiter()
    {
        var awaiter = _fired.GetAwaiter();
        return awaiter.IsCompleted ? awaiter.GetResult() : -1;
    }

    /// <summary>An async method awaiting a Deferred that already fired.</summary>
    [Benchmark]
    public Task<int> AwaitFiredAsync() => AwaitOnce(_fired);

    /// <summary>An async method awaiting a pending Deferred, run through EnsureDeferred, then fired.</summary>
    [Benchmark]
    public bool EnsureDeferredAwaitPending()
    {
        var pending = new Deferred<int>();
        var result = Deferred.EnsureDeferred(() => AwaitOnce(pending));
        pending.Callback(1);
        return result.HasResult;
    }

    private static async Task<int> AwaitOnce(Deferred<int> d) => await d + 1;
}
