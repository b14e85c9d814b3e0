using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Endpoints;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Endpoints;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Defer;

/// <summary>
/// CancellationToken overloads (issue 19.5) and Deferred.FirstResult (19.6). Twisted has no tokens; the
/// cancellation outcomes mirror test_defer.DeferredFutureAdapterTests.test_asFutureCancelFuture and
/// test_endpoints TCP4EndpointsTests.test_connectionCancellation.
/// </summary>
public class CancellationTokenTests
{
    // twisted: test_defer.DeferredFutureAdapterTests.test_asFutureCancelFuture (cancelling the awaiting side cancels the Deferred)
    [Test]
    public void ToTaskWithATokenCancelsTheDeferred()
    {
        var d = new Deferred<int>();
        using var cts = new CancellationTokenSource();
        var task = d.ToTask(cts.Token);
        Assert.That(task.IsCompleted, Is.False);
        cts.Cancel();
        Assert.That(d.Called, Is.True);
        Assert.That(task.IsFaulted && task.Exception!.InnerException is CancelledError, Is.True);
    }

    [Test]
    public void ToTaskWithATokenThatNeverFiresCompletesWithTheResult()
    {
        var d = new Deferred<int>();
        using var cts = new CancellationTokenSource();
        var task = d.ToTask(cts.Token);
        d.Callback(3);
        Assert.That(task.Result, Is.EqualTo(3));
        cts.Cancel(); // too late: nothing happens
        Assert.That(task.Result, Is.EqualTo(3));
    }

    [Test]
    public void AnAlreadyCancelledTokenCancelsAtOnce()
    {
        var d = new Deferred<int>().WithCancellation(new CancellationToken(canceled: true));
        FailureResultOf(d, typeof(CancelledError));
    }

    // twisted: test_endpoints.TCP4EndpointsTests.test_connectionCancellation
    [Test]
    public void ConnectWithATokenStopsTheAttemptWhenCancelled()
    {
        var reactor = new Reactor.Testing.MemoryReactor();
        using var cts = new CancellationTokenSource();
        var d = new Tcp4ClientEndpoint(reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => new RecordingProtocol()), cts.Token);
        AssertNoResult(d);
        cts.Cancel();
        FailureResultOf(d, typeof(CancelledError));
        Assert.That(reactor.Connectors[0].StoppedConnecting, Is.True);
    }

    [Test]
    public void ResolveWithATokenFailsWithCancelledErrorAndATokenCancelledElsewhereIsHandedToTheReactor()
    {
        using var reactor = ReactorLoop.Create();
        var blocked = new TaskCompletionSource<IReadOnlyList<System.Net.IPAddress>>();
        reactor.InstallNameResolver(new NeverResolver());
        using var cts = new CancellationTokenSource();
        Deferred<System.Net.IPAddress>? d = null;
        reactor.CallWhenRunning(() =>
        {
            d = reactor.Resolve("example.invalid", cts.Token);
            Task.Run(cts.Cancel); // cancelled on another thread: the cancel runs on the reactor thread
        });
        int reactorThread = Environment.CurrentManagedThreadId;
        int? errbackThread = null;
        reactor.CallLater(TimeSpan.Zero, () => d!.AddErrback(_ => { errbackThread = Environment.CurrentManagedThreadId; reactor.Stop(); }));
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False, "the cancellation never arrived");
        Assert.That(errbackThread, Is.EqualTo(reactorThread));
    }

    // twisted: test_threads.DeferToThreadPoolTests (the Deferred fires on the reactor thread); the token is .NET's
    [Test]
    public void DeferToThreadWithATokenCancelsTheWorksTokenAndFailsAtOnce()
    {
        using var reactor = ReactorLoop.Create();
        using var cts = new CancellationTokenSource();
        var started = new ManualResetEventSlim();
        var workSawCancel = new ManualResetEventSlim();
        Deferred<int>? d = null;
        bool failedAtOnce = false;
        reactor.CallWhenRunning(() =>
        {
            d = Reactor.Core.Threading.Threads.DeferToThread(reactor, token =>
            {
                started.Set();
                if (token.WaitHandle.WaitOne(LoopTestKit.Deadline)) workSawCancel.Set();
                return 1;
            }, cts.Token);
            var poll = new LoopingCall(reactor, () =>
            {
                if (!started.IsSet) return;
                if (!cts.IsCancellationRequested)
                {
                    cts.Cancel();
                    failedAtOnce = d.Called;
                }
                if (workSawCancel.IsSet) reactor.Stop();
            });
            poll.Start(TimeSpan.FromMilliseconds(1));
        });
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(failedAtOnce, Is.True);
        FailureResultOf(d!, typeof(CancelledError));
    }

    // twisted: research E12 / test_defer.DeferredTests (DeferredList fireOnOneCallback fires with (result, index))
    [Test]
    public void FirstResultFiresWithResultAndIndex()
    {
        var d1 = new Deferred<string>();
        var d2 = new Deferred<string>();
        var first = Deferred.FirstResult(new[] { d1, d2 });
        AssertNoResult(first);
        d2.Callback("x");
        Assert.That(SuccessResultOf(first), Is.EqualTo(("x", 1)));
        d1.Callback("y");
        var (result, index) = SuccessResultOf(first);
        Assert.That((result, index), Is.EqualTo(("x", 1)));
    }

    [Test]
    public void FirstResultFailsWithEveryFailureWhenAllFail()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var first = Deferred.FirstResult(new[] { d1, d2 }, consumeErrors: true);
        d1.Errback(new GenericError("1"));
        AssertNoResult(first);
        d2.Errback(new GenericError("2"));
        var group = (FailureGroup)FailureResultOf(first, typeof(FailureGroup)).Value;
        Assert.That(group.Failures.Select(f => f.Value.Message), Is.EqualTo(new[] { "1", "2" }));
    }

    // twisted: test_defer.DeferredTests.testDeferredListFireOnOneError (fireOnOneErrback wins over a later success)
    [Test]
    public void FirstResultWithFireOnOneErrbackFailsWithFirstError()
    {
        var d1 = new Deferred<int>();
        var d2 = new Deferred<int>();
        var first = Deferred.FirstResult(new[] { d1, d2 }, fireOnOneErrback: true, consumeErrors: true);
        d1.Errback(new GenericError("boom"));
        var error = (FirstError)FailureResultOf(first, typeof(FirstError)).Value;
        Assert.That(error.Index, Is.Zero);
        d2.Callback(1);
    }

    private sealed class NeverResolver : Reactor.Net.Resolution.IHostnameResolver
    {
        public Deferred<IReadOnlyList<System.Net.IPAddress>> ResolveHostName(string hostName, System.Net.Sockets.AddressFamily family = System.Net.Sockets.AddressFamily.Unspecified) => new();
    }
}
