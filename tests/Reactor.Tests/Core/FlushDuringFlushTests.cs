using Reactor.Core;
using Reactor.Core.Internal;

namespace Reactor.Tests.Core;

/// <summary>
/// A flush requested while the loop is flushing (one transport's flush asking for another's) is
/// served in the same iteration's second flush, not after the selector wait: the loop must not
/// sleep with work queued.
/// </summary>
public sealed class FlushDuringFlushTests
{
    private sealed class Flushable(Action onFlush) : IFlushable
    {
        public void FlushPending() => onFlush();
    }

    [Test]
    public void AFlushRequestedDuringTheFirstFlushIsServedWithoutAnOutsideWakeUp()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger() });
        using var secondFlushed = new ManualResetEventSlim();
        var second = new Flushable(secondFlushed.Set);
        var first = new Flushable(() => reactor.RequestFlush(second));
        reactor.CallLater(TimeSpan.Zero, () => reactor.RequestFlush(first));

        // One iteration with nothing else to do and a ten-minute bound on its wait: only the fix ends it.
        var iteration = new Thread(() => reactor.Iterate(TimeSpan.FromMinutes(10))) { IsBackground = true };
        iteration.Start();
        var flushed = secondFlushed.Wait(TimeSpan.FromSeconds(30));
        if (!flushed) reactor.CallFromThread(() => { });
        Assert.That(iteration.Join(TimeSpan.FromSeconds(30)), Is.True, "the iteration ends");
        Assert.That(flushed, Is.True, "the second flush ran in the same iteration, before any wait");
    }
}
