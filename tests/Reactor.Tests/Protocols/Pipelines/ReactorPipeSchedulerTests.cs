using Reactor.Protocols.Pipelines;

namespace Reactor.Tests.Protocols.Pipelines;

public class ReactorPipeSchedulerTests
{
    [Test]
    public void RunsWorkInOrderOnTheReactorWithOnePostPerBatch()
    {
        var reactor = new QueuedReactorThreads();
        var scheduler = new ReactorPipeScheduler(reactor);
        var ran = new List<int>();
        scheduler.Schedule(s => ran.Add((int)s!), 1);
        scheduler.Schedule(s => ran.Add((int)s!), 2);
        scheduler.Schedule(s => ran.Add((int)s!), 3);
        Assert.That(ran, Is.Empty);
        Assert.That(reactor.Posted, Is.EqualTo(1));
        reactor.RunPending();
        Assert.That(ran, Is.EqualTo(new[] { 1, 2, 3 }));
        scheduler.Schedule(s => ran.Add((int)s!), 4);
        Assert.That(reactor.Posted, Is.EqualTo(2));
        reactor.RunPending();
        Assert.That(ran, Is.EqualTo(new[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void WorkScheduledFromOtherThreadsIsNotLost()
    {
        var reactor = new LockedQueue();
        var scheduler = new ReactorPipeScheduler(reactor);
        var count = 0;
        Parallel.For(0, 1000, _ => scheduler.Schedule(_ => Interlocked.Increment(ref count), null));
        reactor.RunPending();
        Assert.That(count, Is.EqualTo(1000));
    }

    private sealed class LockedQueue : Reactor.Core.IReactorFromThreads
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _calls = new();
        public void CallFromThread(Action action) => _calls.Enqueue(action);
        public void RunPending()
        {
            while (_calls.TryDequeue(out var call)) call();
        }
    }
}
