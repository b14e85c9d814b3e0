using System.Collections.Concurrent;
using System.IO.Pipelines;
using Reactor.Core;

namespace Reactor.Protocols.Pipelines;

/// <summary>
/// A <see cref="PipeScheduler"/> that runs work on the reactor thread, so that async code over a
/// pipe (<see cref="TransportDuplexPipe"/>) resumes where protocols run.
/// </summary>
/// <remarks>
/// Work is queued and drained by one <see cref="IReactorFromThreads.CallFromThread"/> per batch
/// (as Kestrel's IOQueue does with the thread pool), so scheduling allocates nothing per item
/// in steady state. Items run in the order they were scheduled, from any thread.
/// </remarks>
public sealed class ReactorPipeScheduler : PipeScheduler
{
    private readonly IReactorFromThreads _reactor;
    private readonly ConcurrentQueue<(Action<object?> Action, object? State)> _work = new();
    private readonly Action _drain;
    private int _drainPosted;

    /// <summary>Creates a scheduler that posts to <paramref name="reactor"/>.</summary>
    public ReactorPipeScheduler(IReactorFromThreads reactor)
    {
        _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));
        _drain = Drain;
    }

    /// <inheritdoc/>
    public override void Schedule(Action<object?> action, object? state)
    {
        ArgumentNullException.ThrowIfNull(action);
        _work.Enqueue((action, state));
        if (Interlocked.Exchange(ref _drainPosted, 1) == 0) _reactor.CallFromThread(_drain);
    }

    private void Drain()
    {
        // Cleared before draining: work queued while we drain posts a new drain, never lost.
        Volatile.Write(ref _drainPosted, 0);
        while (_work.TryDequeue(out var item)) item.Action(item.State);
    }
}
