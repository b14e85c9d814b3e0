using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reactor.Core.Internal;

namespace Reactor.Core.Threading;

/// <summary>
/// A pool of worker threads for blocking work that must stay off the reactor thread (Twisted's
/// <c>twisted.python.threadpool.ThreadPool</c>). Threads are created on demand up to
/// <see cref="MaxThreads"/>; <see cref="MinThreads"/> are kept alive once started. Work queued
/// before <see cref="Start"/> runs once the pool starts. <see cref="Stop()"/> drains: every item
/// already queued still runs, then the workers exit.
/// </summary>
/// <remarks>
/// Threading: every member is safe to call from any thread. An exception thrown by a work item is
/// logged (with its stack) and never kills the worker.
/// </remarks>
public sealed class ReactorThreadPool : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<Action> _backlog = new();
    private readonly List<Thread> _threads = [];
    private readonly ILogger _logger;
    private PoolState _state = PoolState.NotStarted;
    private int _idle;
    private int _promised; // idle workers already pulsed for queued work, not yet awake
    private int _busy;
    private int _exitsWanted;
    private int _threadNumber;

    private enum PoolState { NotStarted, Running, Stopping, Stopped }

    /// <summary>Creates a pool that is not started yet.</summary>
    /// <param name="minThreads">Threads kept alive once started, even when idle.</param>
    /// <param name="maxThreads">The most threads the pool will run at once.</param>
    /// <param name="name">Prefix of the worker threads' names, shown in debuggers and logs.</param>
    /// <param name="logger">Where exceptions from work items go; defaults to a null logger.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, <paramref name="maxThreads"/> is 0, or min exceeds max.</exception>
    public ReactorThreadPool(int minThreads = 5, int maxThreads = 20, string? name = null, ILogger? logger = null)
    {
        ValidateSizes(minThreads, maxThreads);
        MinThreads = minThreads;
        MaxThreads = maxThreads;
        Name = name ?? "ReactorThreadPool";
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The number of threads kept alive once started.</summary>
    public int MinThreads { get; private set; }

    /// <summary>The most threads the pool runs at once.</summary>
    public int MaxThreads { get; private set; }

    /// <summary>The prefix of the worker threads' names.</summary>
    public string Name { get; }

    /// <summary>True between <see cref="Start"/> and <see cref="Stop()"/>.</summary>
    public bool Started
    {
        get { lock (_gate) return _state == PoolState.Running; }
    }

    /// <summary>Worker threads alive, busy or idle.</summary>
    public int WorkerCount
    {
        get { lock (_gate) return _threads.Count; }
    }

    /// <summary>Workers running an item right now.</summary>
    public int BusyCount
    {
        get { lock (_gate) return _busy; }
    }

    /// <summary>Workers alive and waiting for work (Twisted's <c>waiters</c>).</summary>
    public int IdleCount
    {
        get { lock (_gate) return _idle; }
    }

    /// <summary>Items queued and not yet taken by a worker.</summary>
    public int PendingCount
    {
        get { lock (_gate) return _backlog.Count; }
    }

    /// <summary>Starts the pool: creates <see cref="MinThreads"/> workers and starts on any queued work. Starting a started pool does nothing.</summary>
    /// <exception cref="InvalidOperationException">The pool is still stopping.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_state == PoolState.Running) return;
            if (_state == PoolState.Stopping)
            {
                throw new InvalidOperationException($"Thread pool {Name} is still stopping; it can be started again once Stop has returned.");
            }
            _state = PoolState.Running;
            var wanted = Math.Min(MaxThreads, Math.Max(MinThreads, _backlog.Count));
            while (_threads.Count < wanted) StartWorkerLocked();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a worker thread.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The pool is stopping or stopped.</exception>
    public void CallInThread(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            if (_state is PoolState.Stopping or PoolState.Stopped)
            {
                throw new InvalidOperationException($"Thread pool {Name} has been stopped; it accepts no more work.");
            }
            _backlog.Enqueue(work);
            if (_state != PoolState.Running) return;
            // Wake an idle worker only if one is left that no earlier item has claimed; otherwise grow.
            if (_idle - _promised > _exitsWanted)
            {
                _promised++;
                Monitor.Pulse(_gate);
            }
            else if (_threads.Count < MaxThreads)
            {
                StartWorkerLocked();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread, then calls <paramref name="onResult"/> on that
    /// same thread with its result, or with the exception it threw (Twisted's <c>callInThreadWithCallback</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The pool is stopping or stopped.</exception>
    public void CallInThreadWithCallback<T>(Func<T> work, Action<T?, Exception?> onResult)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(onResult);
        CallInThread(() =>
        {
            T? result = default;
            Exception? error = null;
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
            onResult(result, error);
        });
    }

    /// <summary>Changes the pool's size. Surplus workers exit as soon as they are idle.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, max is 0, or min exceeds max.</exception>
    public void AdjustPoolSize(int? minThreads = null, int? maxThreads = null)
    {
        lock (_gate)
        {
            var min = minThreads ?? MinThreads;
            var max = maxThreads ?? MaxThreads;
            if (maxThreads is not null && minThreads is null && min > max) min = max;
            ValidateSizes(min, max);
            MinThreads = min;
            MaxThreads = max;
            if (_state != PoolState.Running) return;
            _exitsWanted = Math.Max(0, _threads.Count - MaxThreads);
            if (_exitsWanted > 0) Monitor.PulseAll(_gate);
            var wanted = Math.Min(MaxThreads, Math.Max(MinThreads, _backlog.Count + _busy));
            while (_threads.Count < wanted) StartWorkerLocked();
        }
    }

    /// <summary>
    /// Stops the pool and waits until every item already queued has run and every worker has exited
    /// (Twisted's <c>ThreadPool.stop</c>, which joins its workers). New work is refused from now on.
    /// </summary>
    public void Stop() => Stop(Timeout.InfiniteTimeSpan);

    /// <summary>
    /// As <see cref="Stop()"/>, but waits at most <paramref name="timeout"/> for the workers. Workers
    /// still busy after it are background threads: they finish their item and exit on their own.
    /// </summary>
    /// <returns>True if every worker exited in time.</returns>
    public bool Stop(TimeSpan timeout)
    {
        Thread[] workers;
        lock (_gate)
        {
            if (_state is PoolState.NotStarted or PoolState.Stopped)
            {
                if (_backlog.Count > 0)
                {
                    // Never started, so nothing will ever run these: say so rather than drop them silently.
                    CoreLog.ThreadPoolStoppedBeforeStart(_logger, Name, _backlog.Count);
                    _backlog.Clear();
                }
                _state = PoolState.Stopped;
                return true;
            }
            _state = _threads.Count == 0 ? PoolState.Stopped : PoolState.Stopping;
            Monitor.PulseAll(_gate);
            workers = [.. _threads];
        }

        var deadline = timeout == Timeout.InfiniteTimeSpan ? (DateTime?)null : DateTime.UtcNow + timeout;
        var allExited = true;
        foreach (var worker in workers)
        {
            // A work item may stop the pool it runs in: never wait for ourselves.
            if (worker == Thread.CurrentThread) continue;
            if (deadline is null)
            {
                worker.Join();
            }
            else if (!worker.Join(Max(deadline.Value - DateTime.UtcNow, TimeSpan.Zero)))
            {
                allExited = false;
            }
        }
        if (!allExited)
        {
            CoreLog.ThreadPoolStoppedBusy(_logger, Name, BusyCount, timeout);
        }
        return allExited;
    }

    /// <summary>Stops the pool, draining queued work (<see cref="Stop()"/>).</summary>
    public void Dispose() => Stop();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static void ValidateSizes(int minThreads, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minThreads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxThreads);
        if (minThreads > maxThreads)
        {
            throw new ArgumentOutOfRangeException(nameof(minThreads), minThreads, $"minThreads ({minThreads}) is greater than maxThreads ({maxThreads}).");
        }
    }

    private void StartWorkerLocked()
    {
        var thread = new Thread(WorkerLoop)
        {
            IsBackground = true,
            Name = $"{Name}-{++_threadNumber}",
        };
        _threads.Add(thread);
        thread.Start();
    }

    private void ExitLocked()
    {
        _threads.Remove(Thread.CurrentThread);
        // The last worker out completes a stop; until then the pool refuses work and restarts.
        if (_threads.Count == 0 && _state == PoolState.Stopping) _state = PoolState.Stopped;
    }

    private void WorkerLoop()
    {
        while (true)
        {
            Action work;
            lock (_gate)
            {
                while (true)
                {
                    if (_exitsWanted > 0)
                    {
                        _exitsWanted--;
                        ExitLocked();
                        return;
                    }
                    if (_backlog.Count > 0) break;
                    if (_state != PoolState.Running)
                    {
                        // Stopping: the backlog is drained, so this worker is done.
                        ExitLocked();
                        return;
                    }
                    _idle++;
                    Monitor.Wait(_gate);
                    _idle--;
                    if (_promised > 0) _promised--;
                }
                work = _backlog.Dequeue();
                _busy++;
            }
            try
            {
                work();
            }
            catch (Exception e)
            {
                CoreLog.ThreadPoolWorkItemFailed(_logger, e, Name);
            }
            finally
            {
                lock (_gate) _busy--;
            }
        }
    }
}
