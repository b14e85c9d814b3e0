using Reactor.Core;
using Reactor.Defer;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>Cooperator and CooperativeTask (Twisted's test_cooperator.CooperatorTests / RunStateTests).</summary>
public class CooperatorTests
{
    private static void Pump(Clock clock) => clock.Advance(TimeSpan.Zero);

    private static IEnumerable<Deferred?> Items(IEnumerable<object> things, List<object> log)
    {
        foreach (var thing in things)
        {
            log.Add(thing);
            yield return null;
        }
    }

    // twisted: test_cooperator.CooperatorTests.testStoppedRejectsNewTasks
    [Test]
    public void StoppedCooperatorRejectsNewTasks()
    {
        var c = new Cooperator(new Clock());
        c.Stop();
        var d = c.Coiterate(Enumerable.Empty<Deferred?>());
        FailureResultOf(d, typeof(SchedulerStopped));
    }

    // twisted: test_cooperator.CooperatorTests.testStopRunning
    [Test]
    public void StoppingTheCooperatorStopsARunningIterator()
    {
        var clock = new Clock();
        var c = new Cooperator(clock);
        var log = new List<object>();
        var d = c.Coiterate(Items(new object[] { 0, 1, 2 }, log));
        c.Stop();
        Pump(clock);
        FailureResultOf(d, typeof(SchedulerStopped));
        Assert.That(log, Is.Empty);
    }

    // twisted: test_cooperator.CooperatorTests.testStopOutstanding
    [Test]
    public void StoppingFailsATaskWaitingOnADeferred()
    {
        var clock = new Clock();
        var outstanding = new Deferred<string>();
        bool resumed = false;
        IEnumerable<Deferred?> Work()
        {
            yield return outstanding;
            resumed = true;
        }
        var c = new Cooperator(clock);
        var d = c.Coiterate(Work());
        Pump(clock);
        c.Stop();
        outstanding.Callback("arglebargle");
        FailureResultOf(d, typeof(SchedulerStopped));
        Assert.That(resumed, Is.False);
    }

    // twisted: test_cooperator.CooperatorTests.testUnexpectedError
    [Test]
    public void IteratorThatThrowsFailsTheTask()
    {
        var clock = new Clock();
        IEnumerable<Deferred?> Work()
        {
            throw new InvalidOperationException();
#pragma warning disable CS0162 // the yield makes this an iterator
            yield break;
#pragma warning restore CS0162
        }
        var d = new Cooperator(clock).Coiterate(Work());
        Pump(clock);
        FailureResultOf(d, typeof(InvalidOperationException));
    }

    // twisted: test_cooperator.CooperatorTests.testUnexpectedErrorActuallyLater
    [Test]
    public void YieldedDeferredThatFailsLaterFailsTheTask()
    {
        var clock = new Clock();
        var later = new Deferred<object?>();
        IEnumerable<Deferred?> Work() { yield return later; }
        var d = new Cooperator(clock).Coiterate(Work());
        Pump(clock);
        later.Errback(new InvalidOperationException());
        FailureResultOf(d, typeof(InvalidOperationException));
    }

    // twisted: test_cooperator.CooperatorTests.testUnexpectedErrorNotActuallyLater
    [Test]
    public void YieldedFailedDeferredFailsTheTask()
    {
        var clock = new Clock();
        IEnumerable<Deferred?> Work() { yield return Deferred.Fail<object?>(new InvalidOperationException()); }
        var d = new Cooperator(clock).Coiterate(Work());
        Pump(clock);
        FailureResultOf(d, typeof(InvalidOperationException));
    }

    // twisted: test_cooperator.CooperatorTests.testCooperation
    [Test]
    public void TasksAreInterleavedRoundRobin()
    {
        var clock = new Clock();
        var log = new List<object>();
        var c = new Cooperator(clock, () => () => false);
        var groups = new[] { new object[] { 'a', 'b', 'c' }, new object[] { 1, 2, 3 }, new object[] { 'd', 'e', 'f' } };
        var done = groups.Select(g => c.Coiterate(Items(g, log))).ToArray();
        Pump(clock);
        Assert.That(done.All(d => d.HasResult));
        Assert.That(log, Is.EqualTo(new object[] { 'a', 1, 'd', 'b', 2, 'e', 'c', 3, 'f' }));
    }

    // twisted: test_cooperator.CooperatorTests.testResourceExhaustion
    [Test]
    public void TickEndsWhenTheTerminationPredicateSaysSo()
    {
        var clock = new Clock();
        var output = new List<int>();
        bool stopped = false;
        IEnumerable<Deferred?> Work()
        {
            for (int i = 0; i < 100; i++)
            {
                output.Add(i);
                if (i == 9) stopped = true;
                yield return null;
            }
        }
        var c = new Cooperator(clock, () => () => stopped);
        var d = c.Coiterate(Work());
        Pump(clock);
        Assert.That(output, Is.EqualTo(Enumerable.Range(0, 10)));
        c.Stop();
        FailureResultOf(d, typeof(SchedulerStopped));
    }

    // twisted: test_cooperator.CooperatorTests.test_removingLastTaskStopsScheduledCall
    [Test]
    public void RemovingTheLastTaskCancelsTheScheduledTick()
    {
        var clock = new Clock();
        var c = new Cooperator(clock);
        var task1 = c.Cooperate(Items(new object[] { 1, 2 }, new List<object>()));
        var task2 = c.Cooperate(Items(new object[] { 1, 2 }, new List<object>()));
        Assert.That(clock.GetDelayedCalls(), Has.Count.EqualTo(1));
        task1.Stop();
        Assert.That(clock.GetDelayedCalls(), Has.Count.EqualTo(1));
        task2.Stop();
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    // twisted: test_cooperator.CooperatorTests.test_runningWhenStarted / test_runningWhenNotStarted / test_runningWhenStopped
    [Test]
    public void RunningReflectsStartAndStop()
    {
        var clock = new Clock();
        Assert.That(new Cooperator(clock).Running, Is.True);
        var lazy = new Cooperator(clock, started: false);
        Assert.That(lazy.Running, Is.False);
        lazy.Start();
        Assert.That(lazy.Running, Is.True);
        lazy.Stop();
        Assert.That(lazy.Running, Is.False);
    }

    /// <summary>The fixture of Twisted's RunStateTests: one unit of work per tick.</summary>
    private sealed class RunState
    {
        public readonly Clock Clock = new();
        public readonly List<object> Work = new();
        public readonly Cooperator Cooperator;
        public readonly CooperativeTask Task;
        public bool DeferNext, StopNext, DieNext;

        public RunState()
        {
            Cooperator = new Cooperator(Clock, () => () => true);
            Task = Cooperator.Cooperate(Worker());
        }

        public void Pump() => Clock.Advance(TimeSpan.Zero);

        private IEnumerable<Deferred?> Worker()
        {
            int i = 0;
            while (true)
            {
                i++;
                if (DeferNext)
                {
                    DeferNext = false;
                    var d = new Deferred<object?>();
                    Work.Add(d);
                    yield return d;
                }
                else if (StopNext)
                {
                    yield break;
                }
                else if (DieNext)
                {
                    throw new GenericError("die");
                }
                else
                {
                    Work.Add(i);
                    yield return null;
                }
            }
        }
    }

    // twisted: test_cooperator.RunStateTests.test_pauseResume
    [Test]
    public void PausedTaskDoesNoWorkUntilResumed()
    {
        var s = new RunState();
        s.Pump();
        Assert.That(s.Work, Is.EqualTo(new object[] { 1 }));
        s.Pump();
        Assert.That(s.Work, Is.EqualTo(new object[] { 1, 2 }));
        s.Task.Pause();
        s.Pump();
        Assert.That(s.Work, Is.EqualTo(new object[] { 1, 2 }));
        s.Task.Resume();
        Assert.That(s.Work, Is.EqualTo(new object[] { 1, 2 }));
        s.Pump();
        Assert.That(s.Work, Is.EqualTo(new object[] { 1, 2, 3 }));
    }

    // twisted: test_cooperator.RunStateTests.test_resumeNotPaused
    [Test]
    public void ResumingATaskThatIsNotPausedThrows()
    {
        var s = new RunState();
        Assert.Throws<NotPaused>(s.Task.Resume);
        s.Task.Pause();
        s.Task.Resume();
        Assert.Throws<NotPaused>(s.Task.Resume);
    }

    // twisted: test_cooperator.RunStateTests.test_pauseTwice
    [Test]
    public void PausesNest()
    {
        var s = new RunState();
        s.Task.Pause();
        s.Task.Pause();
        s.Task.Resume();
        s.Pump();
        Assert.That(s.Work, Is.Empty);
        s.Task.Resume();
        s.Pump();
        Assert.That(s.Work, Is.EqualTo(new object[] { 1 }));
    }

    // twisted: test_cooperator.RunStateTests.test_pauseWhileDeferred
    [Test]
    public void TaskWaitingOnADeferredNeedsBothTheDeferredAndResume()
    {
        var s = new RunState { DeferNext = true };
        s.Pump();
        Assert.That(s.Work, Has.Count.EqualTo(1));
        s.Pump();
        Assert.That(s.Work, Has.Count.EqualTo(1));
        s.Task.Pause();
        s.Pump();
        s.Task.Resume();
        s.Pump();
        Assert.That(s.Work, Has.Count.EqualTo(1));
        ((Deferred<object?>)s.Work[0]).Callback("STUFF!");
        s.Pump();
        Assert.That(s.Work, Is.EqualTo(new[] { s.Work[0], 2 }));
    }

    // twisted: test_cooperator.RunStateTests.test_whenDone
    [Test]
    public void EveryWhenDoneFiresWithTheIterator()
    {
        var s = new RunState();
        var d1 = s.Task.WhenDone();
        var d2 = s.Task.WhenDone();
        s.StopNext = true;
        s.Pump();
        Assert.That(SuccessResultOf(d1), Is.Not.Null);
        Assert.That(SuccessResultOf(d2), Is.SameAs(SuccessResultOf(d1)));
    }

    // twisted: test_cooperator.RunStateTests.test_whenDoneError
    [Test]
    public void WhenDoneFailsWithTheIteratorsException()
    {
        var s = new RunState();
        var d = s.Task.WhenDone();
        s.DieNext = true;
        s.Pump();
        FailureResultOf(d, typeof(GenericError));
    }

    // twisted: test_cooperator.RunStateTests.test_whenDoneStop
    [Test]
    public void WhenDoneFailsWithTaskStoppedOnStop()
    {
        var s = new RunState();
        var d = s.Task.WhenDone();
        s.Task.Stop();
        FailureResultOf(d, typeof(TaskStopped));
    }

    // twisted: test_cooperator.RunStateTests.test_whenDoneAlreadyDone
    [Test]
    public void WhenDoneAfterCompletionFiresAtOnce()
    {
        var s = new RunState { StopNext = true };
        s.Pump();
        Assert.That(SuccessResultOf(s.Task.WhenDone()), Is.Not.Null);
    }

    // twisted: test_cooperator.RunStateTests.test_stopStops
    [Test]
    public void StoppedTaskDoesNoWorkAndRejectsFurtherControl()
    {
        var s = new RunState();
        s.Task.Stop();
        s.Pump();
        Assert.That(s.Work, Is.Empty);
        Assert.Throws<TaskStopped>(s.Task.Stop);
        Assert.Throws<TaskStopped>(s.Task.Pause);
    }

    // twisted: test_cooperator.RunStateTests.test_pauseStopResume
    [Test]
    public void ResumingAPausedStoppedTaskDoesNothing()
    {
        var s = new RunState();
        s.Task.Pause();
        s.Task.Stop();
        s.Task.Resume();
        s.Pump();
        Assert.That(s.Work, Is.Empty);
    }

    // twisted: test_cooperator.RunStateTests.test_stopDeferred
    [Test]
    public void StoppingATaskWaitingOnADeferredConsumesItsResult()
    {
        var s = new RunState { DeferNext = true };
        s.Pump();
        var d = (Deferred<object?>)s.Work[^1];
        s.Work.Clear();
        var results = new List<object?>();
        d.AddBoth(r => { results.Add(r); return r; });
        s.Task.Stop();
        s.Pump();
        d.Callback(7);
        s.Pump();
        Assert.That(results, Is.EqualTo(new object?[] { null }));
        Assert.That(s.Work, Is.Empty);
    }
}
