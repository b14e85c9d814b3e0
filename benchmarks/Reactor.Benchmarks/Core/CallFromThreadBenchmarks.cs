using BenchmarkDotNet.Attributes;
using Reactor.Core;

namespace Reactor.Benchmarks.Core;

/// <summary>
/// CallFromThread throughput. <c>Running</c>: one producer thread hands <see cref="Calls"/> calls
/// to a running loop (on the default backend), which wakes only when it was asleep; the time is
/// per call, from the first enqueue to the last call run. <c>SameThread</c>: enqueue a cached
/// delegate and drain it with an iteration, no other thread (expect 0 B).
/// </summary>
[MemoryDiagnoser]
public class CallFromThreadBenchmarks
{
    private const int Calls = 100_000;
    private ReactorLoop _reactor = null!;
    private Thread _loopThread = null!;
    private int _done;
    private ManualResetEventSlim _finished = null!;
    private Action _bump = null!;

    /// <summary>Starts a reactor running on its own thread.</summary>
    [GlobalSetup(Target = nameof(Running))]
    public void SetupRunning()
    {
        _reactor = ReactorLoop.Create();
        _finished = new ManualResetEventSlim();
        _bump = () =>
        {
            if (++_done == Calls) _finished.Set();
        };
        using var started = new ManualResetEventSlim();
        _reactor.CallWhenRunning(started.Set);
        _loopThread = new Thread(_reactor.Run) { IsBackground = true };
        _loopThread.Start();
        started.Wait();
    }

    /// <summary>Stops the loop and releases it.</summary>
    [GlobalCleanup(Target = nameof(Running))]
    public void CleanupRunning()
    {
        _reactor.Stop();
        _loopThread.Join();
        _reactor.Dispose();
        _finished.Dispose();
    }

    /// <summary>Hands <see cref="Calls"/> calls from this thread to the running loop and waits until all ran.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public void Running()
    {
        _done = 0;
        _finished.Reset();
        for (int i = 0; i < Calls; i++) _reactor.CallFromThread(_bump);
        _finished.Wait();
    }

    /// <summary>Creates an idle reactor driven by Iterate on this thread.</summary>
    [GlobalSetup(Target = nameof(SameThread))]
    public void SetupSameThread()
    {
        _reactor = ReactorLoop.Create();
        _bump = () => _done++;
    }

    /// <summary>Releases it.</summary>
    [GlobalCleanup(Target = nameof(SameThread))]
    public void CleanupSameThread() => _reactor.Dispose();

    /// <summary>Enqueues 100 calls and drains them with one iteration.</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public void SameThread()
    {
        for (int i = 0; i < 100; i++) _reactor.CallFromThread(_bump);
        _reactor.Iterate(TimeSpan.Zero);
    }
}
