using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Core.Threading;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Core.Hardening;

/// <summary>
/// The edges of the single-thread rule (issue 12, scope 7): work handed over after the reactor is
/// gone, a Stop that arrives between runs, and a blocking call that must not wait forever.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class CrossThreadEdgeTests(SelectorKind kind)
{
    [Test]
    public void ACallFromAPoolThreadAfterDisposeIsDroppedAndLoggedOnce()
    {
        var logger = new CapturingLogger();
        var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = logger });
        reactor.Dispose();
        var ran = false;
        // On a pool thread an exception would be unhandled and end the process: none may escape.
        var late = Task.Run(() =>
        {
            reactor.CallFromThread(() => ran = true);
            reactor.CallFromThread(() => ran = true);
        });
        Assert.That(late.Wait(NetDeadline), Is.True);
        Assert.That(late.Exception, Is.Null);
        Assert.That(ran, Is.False);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("after the reactor was disposed")).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), "the first late call is logged, later ones are not");
    }

    [Test]
    public void AnAwaitThatResumesAfterDisposeDoesNotThrowOnThePool()
    {
        var logger = new CapturingLogger();
        var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = logger });
        SynchronizationContext? context = null;
        reactor.CallLater(TimeSpan.Zero, () =>
        {
            context = SynchronizationContext.Current;
            reactor.Stop();
        });
        reactor.Run();
        reactor.Dispose();
        Assert.That(context, Is.InstanceOf<ReactorSynchronizationContext>());
        // What an await's continuation does when the awaited work finishes on the pool after Dispose.
        var late = Task.Run(() => context!.Post(_ => Assert.Fail("a disposed reactor ran a posted callback"), null));
        Assert.That(late.Wait(NetDeadline), Is.True);
        Assert.That(late.Exception, Is.Null);
        Assert.That(logger.Entries.Count(e => e.Level == LogLevel.Warning), Is.EqualTo(1));
        var send = Task.Run(() => context!.Send(_ => { }, null));
        Assert.That(() => send.Wait(NetDeadline), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>(),
            "Send from another thread cannot wait for a reactor that is gone");
    }

    [Test]
    public void AStopFromAnotherThreadWhileNotRunningDoesNotStopTheNextRun()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        var stopper = new Thread(reactor.Stop);
        stopper.Start();
        Assert.That(stopper.Join(NetDeadline), Is.True);
        // Two passes later: a stale Stop would have ended the run after the first.
        var reachedThirdPass = false;
        reactor.CallLater(TimeSpan.Zero, () => reactor.CallLater(TimeSpan.Zero, () =>
        {
            reachedThirdPass = true;
            reactor.Stop();
        }));
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(reachedThirdPass, Is.True);
    }

    [Test]
    public void AStopFromAnotherThreadWhileRunningStopsThatRun()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        reactor.CallWhenRunning(() => new Thread(reactor.Stop).Start());
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False, "the run ended by the other thread's Stop");
    }

    [Test]
    public void ABlockingCallWithATimeoutGivesUpWhenTheReactorIsNotRunning()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        var call = Task.Run(() => Threads.BlockingCallFromThread(reactor, () => 42, TimeSpan.FromMilliseconds(50)));
        Assert.That(() => call.Wait(NetDeadline), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<TimeoutException>());
    }

    [Test]
    public void ABlockingCallWithATimeoutReturnsTheResultFromARunningReactor()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        Task<int>? call = null;
        reactor.CallWhenRunning(() => call = Task.Run(() =>
        {
            try
            {
                return Threads.BlockingCallFromThread(reactor, () => 42, NetDeadline);
            }
            finally
            {
                reactor.Stop();
            }
        }));
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(call!.Wait(NetDeadline), Is.True);
        Assert.That(call.Result, Is.EqualTo(42));
    }

    [Test]
    public void ABlockingCallOnADisposedReactorThrowsInsteadOfWaitingForever()
    {
        var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        reactor.Dispose();
        var call = Task.Run(() => Threads.BlockingCallFromThread(reactor, () => 42));
        Assert.That(() => call.Wait(NetDeadline), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void ANegativeTimeoutIsRefused()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        Assert.That(() => Threads.BlockingCallFromThread(reactor, () => 1, TimeSpan.FromSeconds(-2)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static readonly TimeSpan NetDeadline = TimeSpan.FromSeconds(30);
}
