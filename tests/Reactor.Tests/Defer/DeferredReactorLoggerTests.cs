using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Logging;
using Reactor.Tests.Core;

namespace Reactor.Tests.Defer;

/// <summary>
/// Where a Deferred's unhandled failure is reported (issue 18, scope 6): to the logger of the reactor
/// on whose thread its chain ended, else to the process-wide <see cref="Deferred.Logger"/>; no reactor
/// lends its logger to another's Deferreds.
/// </summary>
[NonParallelizable] // one test swaps the process-wide Deferred.Logger
public class DeferredReactorLoggerTests
{
    private sealed class MarkerError(string marker) : Exception(marker);

    private static List<(LogLevel Level, string Message, Exception? Exception)> ReportsOf(CapturingLogger logger, string marker) =>
        logger.Entries.Where(e => e.Exception?.Message == marker).ToList();

    private static void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    // Its own frame, so nothing on the caller's stack keeps the Deferred alive for the collector.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailAndDrop(string marker)
    {
        var d = new Deferred<int>();
        d.AddCallback(int (_) => throw new MarkerError(marker));
        d.Callback(1);
    }

    private static ReactorLoop CreateReactor(ILogger logger) =>
        ReactorLoop.Create(new ReactorOptions { Logger = logger, InstallSignalHandlers = false });

    [Test]
    public void TwoReactorsOnTwoThreadsEachReportTheirOwnDeferredsFailures()
    {
        var loggerA = new CapturingLogger();
        var loggerB = new CapturingLogger();
        using var reactorA = CreateReactor(loggerA);
        using var reactorB = CreateReactor(loggerB);
        var failures = new Exception?[2];

        Thread RunOnItsThread(ReactorLoop reactor, string marker, int index)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    reactor.CallWhenRunning(() =>
                    {
                        FailAndDrop(marker);
                        reactor.Stop();
                    });
                    reactor.Run();
                }
                catch (Exception e)
                {
                    failures[index] = e;
                }
            }) { IsBackground = true, Name = marker };
            thread.Start();
            return thread;
        }

        var threadA = RunOnItsThread(reactorA, "failed-on-reactor-a", 0);
        var threadB = RunOnItsThread(reactorB, "failed-on-reactor-b", 1);
        Assert.That(threadA.Join(TimeSpan.FromSeconds(30)) && threadB.Join(TimeSpan.FromSeconds(30)), Is.True, "both reactors ran and stopped");
        Assert.That(failures, Is.All.Null);
        Collect();

        Assert.That(ReportsOf(loggerA, "failed-on-reactor-a"), Has.Count.EqualTo(1), "A's Deferred reports to A's logger");
        Assert.That(ReportsOf(loggerB, "failed-on-reactor-b"), Has.Count.EqualTo(1), "B's Deferred reports to B's logger");
        Assert.That(ReportsOf(loggerA, "failed-on-reactor-b"), Is.Empty, "no lending: B's failure never reaches A");
        Assert.That(ReportsOf(loggerB, "failed-on-reactor-a"), Is.Empty);
        var report = ReportsOf(loggerA, "failed-on-reactor-a")[0];
        Assert.That(report.Level, Is.EqualTo(LogLevel.Critical));
        Assert.That(report.Message, Does.StartWith("Unhandled error in Deferred:"));
    }

    [Test]
    public void AFailureOffEveryReactorThreadGoesToTheProcessWideDefaultWhichNoReactorChanges()
    {
        var previous = Deferred.Logger;
        var processWide = new CapturingLogger();
        Deferred.Logger = processWide;
        try
        {
            var reactorLogger = new CapturingLogger();
            using var reactor = CreateReactor(reactorLogger);
            Assert.That(Deferred.Logger, Is.SameAs(processWide), "creating a reactor with a logger leaves the default alone");

            // This thread created the reactor, but the reactor is not running or iterating on it now.
            FailAndDrop("failed-off-reactor");
            Collect();

            Assert.That(ReportsOf(processWide, "failed-off-reactor"), Has.Count.EqualTo(1));
            Assert.That(ReportsOf(reactorLogger, "failed-off-reactor"), Is.Empty);
        }
        finally
        {
            Deferred.Logger = previous;
        }
    }

    [Test]
    public void AReactorIteratedFromAnothersCallbackHasItsOwnLoggerOnlyWhileItIterates()
    {
        var outerLogger = new CapturingLogger();
        var innerLogger = new CapturingLogger();
        using var outer = CreateReactor(outerLogger);
        using var inner = CreateReactor(innerLogger);
        var done = false;
        inner.CallLater(TimeSpan.Zero, () => FailAndDrop("failed-in-inner"));
        outer.CallLater(TimeSpan.Zero, () =>
        {
            inner.Iterate(TimeSpan.Zero);
            FailAndDrop("failed-in-outer-after-inner");
            done = true;
        });
        for (int i = 0; i < 100 && !done; i++) outer.Iterate(TimeSpan.FromSeconds(1));
        Assert.That(done, Is.True, "the outer reactor ran its call");
        Collect();

        Assert.That(ReportsOf(innerLogger, "failed-in-inner"), Has.Count.EqualTo(1));
        Assert.That(ReportsOf(outerLogger, "failed-in-outer-after-inner"), Has.Count.EqualTo(1), "the outer reactor's logger is back once the inner iteration returns");
        Assert.That(ReportsOf(outerLogger, "failed-in-inner"), Is.Empty);
        Assert.That(ReactorThreadLogger.Current, Is.Null, "nothing is left behind on the test's thread");
    }

    [Test]
    public void ACancellerThatThrowsAfterFiringIsLoggedToTheReactorRunningIt()
    {
        var logger = new CapturingLogger();
        using var reactor = CreateReactor(logger);
        var done = false;
        reactor.CallLater(TimeSpan.Zero, () =>
        {
            var d = new Deferred<int>(self =>
            {
                self.Callback(1);
                throw new MarkerError("canceller-after-firing");
            });
            d.Cancel();
            done = true;
        });
        for (int i = 0; i < 100 && !done; i++) reactor.Iterate(TimeSpan.FromSeconds(1));
        Assert.That(done, Is.True);
        var reports = ReportsOf(logger, "canceller-after-firing");
        Assert.That(reports, Has.Count.EqualTo(1));
        Assert.That(reports[0].Message, Is.EqualTo("Canceller raised after firing its Deferred"));
    }
}
