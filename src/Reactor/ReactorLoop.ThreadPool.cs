using Reactor.Core.Threading;
using Reactor.Core;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorThreads, IReactorThreadIdentity
{
    /// <summary>The reactor pool's size until <see cref="SuggestThreadPoolSize"/> says otherwise (Twisted's 10).</summary>
    public const int DefaultThreadPoolSize = 10;

    private ReactorThreadPool? _threadPool;

    /// <summary>
    /// How long shutdown waits for busy pool workers to finish the queued work. Twisted waits forever;
    /// here a worker stuck past this is logged and left to finish on its own (the workers are
    /// background threads, so they never keep the process alive).
    /// </summary>
    /// <remarks>Defaults to 30 s.</remarks>
    public TimeSpan ThreadPoolShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    bool IReactorThreadIdentity.IsReactorThread => IsInReactorThread;

    /// <inheritdoc/>
    /// <remarks>
    /// Created on first use with 0 to <see cref="DefaultThreadPoolSize"/> threads; started when the
    /// reactor runs (at once if it already does); drained and stopped by a during-shutdown trigger.
    /// Call it on the reactor thread, like every reactor method but <c>CallFromThread</c>.
    /// </remarks>
    public ReactorThreadPool GetThreadPool()
    {
        ThrowIfDisposed();
        if (_threadPool is not null) return _threadPool;
        var pool = new ReactorThreadPool(0, DefaultThreadPoolSize, "ReactorPool", Logger);
        _threadPool = pool;
        CallWhenRunning(pool.Start);
        AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => StopThreadPool(pool));
        return pool;
    }

    /// <inheritdoc/>
    public void CallInThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        GetThreadPool().CallInThread(action);
    }

    /// <inheritdoc/>
    public void SuggestThreadPoolSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        GetThreadPool().AdjustPoolSize(maxThreads: size);
    }

    private void StopThreadPool(ReactorThreadPool pool)
    {
        // A later GetThreadPool (e.g. for the next Run) starts a fresh pool.
        if (ReferenceEquals(_threadPool, pool)) _threadPool = null;
        pool.Stop(ThreadPoolShutdownTimeout);
    }
}
