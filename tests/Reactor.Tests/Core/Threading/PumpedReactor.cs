using System.Collections.Concurrent;
using Reactor.Core.Threading;
using Reactor.Core;

namespace Reactor.Tests.Core.Threading;

/// <summary>
/// A stand-in for the reactor thread: CallFromThread queues, and the test thread runs the queue
/// until a condition holds or a deadline passes (no sleeping).
/// </summary>
internal sealed class PumpedReactor : IReactorFromThreads, IReactorThreadIdentity
{
    private readonly BlockingCollection<Action> _calls = [];
    private readonly int _pumpThread = Environment.CurrentManagedThreadId;

    public int Delivered { get; private set; }

    public bool IsReactorThread => Environment.CurrentManagedThreadId == _pumpThread;

    public int ThreadId => _pumpThread;

    public void CallFromThread(Action action) => _calls.Add(action);

    public void PumpUntil(Func<bool> done, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (!done())
        {
            var left = end - DateTime.UtcNow;
            Assert.That(left, Is.GreaterThan(TimeSpan.Zero), "the condition did not hold before the deadline");
            // Short slices: the condition may turn true without a call being queued (a worker finishing).
            if (_calls.TryTake(out var call, TimeSpan.FromMilliseconds(10)))
            {
                Delivered++;
                call();
            }
        }
    }
}
