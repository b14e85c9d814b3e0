using Reactor.Defer.Internal;

namespace Reactor.Defer;

/// <summary>
/// One iterator being run by a <see cref="Cooperator"/>, one step at a time (Twisted's
/// <c>CooperativeTask</c>): it can be paused, resumed, stopped and waited on.
/// </summary>
public sealed class CooperativeTask
{
    private readonly IEnumerator<Deferred?> _iterator;
    private readonly Cooperator _cooperator;
    private List<Deferred<IEnumerator<Deferred?>>>? _whenDone;
    private int _pauseCount;
    private SchedulerError? _completionState;
    private object? _completionResult;

    internal CooperativeTask(IEnumerator<Deferred?> iterator, Cooperator cooperator)
    {
        _iterator = iterator;
        _cooperator = cooperator;
        cooperator.AddTask(this);
    }

    /// <summary>True while the task is one of its cooperator's scheduled tasks.</summary>
    internal bool Scheduled;

    /// <summary>
    /// A Deferred that fires with the iterator once it is exhausted, or fails with the exception it
    /// threw, a failure of a Deferred it yielded, <see cref="TaskStopped"/> or <see cref="SchedulerStopped"/>.
    /// </summary>
    public Deferred<IEnumerator<Deferred?>> WhenDone()
    {
        var d = new Deferred<IEnumerator<Deferred?>>();
        if (_completionState is null)
        {
            (_whenDone ??= new()).Add(d);
        }
        else
        {
            Fire(d, _completionResult);
        }
        return d;
    }

    /// <summary>Stops doing work until <see cref="Resume"/>; pauses nest.</summary>
    /// <exception cref="TaskFinished">The task has already finished.</exception>
    public void Pause()
    {
        CheckFinish();
        _pauseCount++;
        if (_pauseCount == 1) _cooperator.RemoveTask(this);
    }

    /// <summary>Undoes one <see cref="Pause"/>.</summary>
    /// <exception cref="NotPaused">The task is not paused.</exception>
    public void Resume()
    {
        if (_pauseCount == 0) throw new NotPaused();
        _pauseCount--;
        if (_pauseCount == 0 && _completionState is null) _cooperator.AddTask(this);
    }

    /// <summary>Stops the task for good; <see cref="WhenDone"/> fails with <see cref="TaskStopped"/>.</summary>
    /// <exception cref="TaskFinished">The task has already finished.</exception>
    public void Stop()
    {
        CheckFinish();
        CompleteWith(new TaskStopped(), new Failure(new TaskStopped()));
    }

    internal void CompleteWith(SchedulerError state, object? result)
    {
        _completionState = state;
        _completionResult = result;
        if (_pauseCount == 0) _cooperator.RemoveTask(this);
        var waiting = _whenDone;
        _whenDone = null;
        if (waiting is null) return;
        foreach (var d in waiting) Fire(d, result);
    }

    /// <summary>Runs one step: advance the iterator; a yielded Deferred pauses the task until it fires.</summary>
    internal void OneWorkUnit()
    {
        bool more;
        try
        {
            more = _iterator.MoveNext();
        }
        catch (Exception e)
        {
            CompleteWith(new TaskFailed(), new Failure(e));
            return;
        }
        if (!more)
        {
            CompleteWith(new TaskDone(), _iterator);
            return;
        }
        if (_iterator.Current is { } yielded)
        {
            Pause();
            yielded.Owner.AddPair(CallbackPair.Both(this, YieldedStep.Instance));
        }
    }

    private void CheckFinish()
    {
        if (_completionState is not null) throw _completionState;
    }

    private static void Fire(Deferred<IEnumerator<Deferred?>> d, object? result)
    {
        if (result is Failure failure)
        {
            d.Errback(failure);
        }
        else
        {
            d.Callback((IEnumerator<Deferred?>)result!);
        }
    }

    /// <summary>Resumes the task when the Deferred it yielded succeeds, fails it when that Deferred fails; the result is consumed.</summary>
    private sealed class YieldedStep : CallbackStep
    {
        internal static readonly YieldedStep Instance = new();

        internal override object? Invoke(object target, object? argument)
        {
            var task = (CooperativeTask)target;
            if (argument is Failure failure)
            {
                task.CompleteWith(new TaskFailed(), failure);
            }
            else
            {
                task.Resume();
            }
            return null;
        }
    }
}
