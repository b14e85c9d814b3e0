using System.Diagnostics;
using System.Runtime.CompilerServices;
using Reactor.Time;

namespace Reactor.Defer;

/// <summary>
/// Runs iterators a step at a time, round-robin, yielding to the reactor between time slices
/// (Twisted's <c>task.Cooperator</c>). Each step is one <c>MoveNext</c>; an iterator that yields a
/// Deferred is paused until that Deferred fires. Write long computations as
/// <c>IEnumerable&lt;Deferred?&gt;</c> methods that <c>yield return null</c> between units of work.
/// </summary>
/// <remarks>
/// Each tick runs steps until the termination predicate says the slice is over (by default after 10 ms
/// of real time), then schedules the next tick with a zero-delay call on the clock — the next reactor
/// iteration — so I/O and timers run in between.
/// </remarks>
public sealed class Cooperator
{
    private static readonly ConditionalWeakTable<IReactorTime, Cooperator> Shared = new();

    private readonly IReactorTime _clock;
    private readonly Func<Func<bool>> _terminationPredicateFactory;
    private readonly Action _tick;
    private readonly List<CooperativeTask> _tasks = new();
    private CooperativeTask[] _round = Array.Empty<CooperativeTask>();
    private int _roundIndex;
    private IDelayedCall? _delayedCall;
    private bool _stopped;
    private bool _started;
    private bool _mustScheduleOnStart;

    /// <summary>Creates a cooperator scheduling its ticks on <paramref name="clock"/>.</summary>
    /// <param name="clock">Where ticks are scheduled (a zero-delay call per tick).</param>
    /// <param name="terminationPredicateFactory">
    /// Called at the start of each tick; the predicate it returns is asked after every step whether the
    /// tick should end. Defaults to a 10 ms real-time slice.
    /// </param>
    /// <param name="started">Whether to run tasks as soon as they are added, or only after <see cref="Start"/>.</param>
    public Cooperator(IReactorTime clock, Func<Func<bool>>? terminationPredicateFactory = null, bool started = true)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _terminationPredicateFactory = terminationPredicateFactory ?? DefaultTimeSlice;
        _started = started;
        _tick = Tick;
    }

    /// <summary>The cooperator shared by everything that cooperates on <paramref name="clock"/> (Twisted's global cooperator, per reactor).</summary>
    public static Cooperator For(IReactorTime clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Shared.GetValue(clock, static c => new Cooperator(c));
    }

    /// <summary>True when started and not stopped.</summary>
    public bool Running => _started && !_stopped;

    /// <summary>Starts running <paramref name="iterator"/> as a task.</summary>
    public CooperativeTask Cooperate(IEnumerator<Deferred?> iterator)
    {
        ArgumentNullException.ThrowIfNull(iterator);
        return new CooperativeTask(iterator, this);
    }

    /// <summary>Starts running <paramref name="work"/> as a task.</summary>
    public CooperativeTask Cooperate(IEnumerable<Deferred?> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Cooperate(work.GetEnumerator());
    }

    /// <summary>Runs <paramref name="iterator"/> as a task and returns a Deferred that fires with it when it is exhausted.</summary>
    public Deferred<IEnumerator<Deferred?>> Coiterate(IEnumerator<Deferred?> iterator) => Cooperate(iterator).WhenDone();

    /// <summary>Runs <paramref name="work"/> as a task and returns a Deferred that fires when it is exhausted.</summary>
    public Deferred<IEnumerator<Deferred?>> Coiterate(IEnumerable<Deferred?> work) => Cooperate(work).WhenDone();

    /// <summary>Begins scheduling steps (for a cooperator created with <c>started: false</c>, or after <see cref="Stop"/>).</summary>
    public void Start()
    {
        _stopped = false;
        _started = true;
        if (_mustScheduleOnStart)
        {
            _mustScheduleOnStart = false;
            Reschedule();
        }
    }

    /// <summary>Stops scheduling steps and fails every task's <see cref="CooperativeTask.WhenDone"/> with <see cref="SchedulerStopped"/>.</summary>
    public void Stop()
    {
        _stopped = true;
        foreach (var task in _tasks.ToArray())
        {
            task.CompleteWith(new SchedulerStopped(), new Failure(new SchedulerStopped()));
        }
        _tasks.Clear();
        if (_delayedCall is not null)
        {
            _delayedCall.Cancel();
            _delayedCall = null;
        }
    }

    internal void AddTask(CooperativeTask task)
    {
        _tasks.Add(task);
        task.Scheduled = true;
        if (_stopped)
        {
            task.CompleteWith(new SchedulerStopped(), new Failure(new SchedulerStopped()));
        }
        else
        {
            Reschedule();
        }
    }

    internal void RemoveTask(CooperativeTask task)
    {
        if (!task.Scheduled) return;
        task.Scheduled = false;
        _tasks.Remove(task);
        if (_tasks.Count == 0 && _delayedCall is not null)
        {
            _delayedCall.Cancel();
            _delayedCall = null;
        }
    }

    private void Tick()
    {
        _delayedCall = null;
        var terminate = _terminationPredicateFactory();
        while (_tasks.Count > 0)
        {
            if (_roundIndex >= _round.Length)
            {
                // A new round over the tasks scheduled now; the previous round resumes where a tick ended.
                _round = _tasks.ToArray();
                _roundIndex = 0;
            }
            var task = _round[_roundIndex++];
            if (!task.Scheduled) continue; // paused or finished since the round began
            task.OneWorkUnit();
            if (terminate()) break;
        }
        Reschedule();
    }

    private void Reschedule()
    {
        if (!_started)
        {
            _mustScheduleOnStart = true;
            return;
        }
        if (_delayedCall is null && _tasks.Count > 0)
        {
            _delayedCall = _clock.CallLater(TimeSpan.Zero, _tick);
        }
    }

    private static Func<bool> DefaultTimeSlice()
    {
        long end = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        return () => Stopwatch.GetTimestamp() >= end;
    }
}
