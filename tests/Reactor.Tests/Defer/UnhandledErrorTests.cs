using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Reactor.Defer;
using Reactor.Tests.Core.Threading;

namespace Reactor.Tests.Defer;

/// <summary>Reporting failures nobody handled (Twisted's test_defer.LogTests), debug mode and AlreadyCalledError details.</summary>
[NonParallelizable]
public class UnhandledErrorTests
{
    private sealed class RecordingLogger : ILogger
    {
        public readonly List<(LogLevel Level, string Message, Exception? Exception)> Entries = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception), exception));
        }
    }

    private sealed class MarkerError(string marker) : Exception(marker);

    private ILogger _previousLogger = null!;
    private RecordingLogger _logger = null!;

    [SetUp]
    public void InstallLogger()
    {
        _previousLogger = Deferred.Logger;
        _logger = new RecordingLogger();
        Deferred.Logger = _logger;
    }

    [TearDown]
    public void RestoreLogger()
    {
        Deferred.Debug = false;
        Deferred.Logger = _previousLogger;
    }

    private List<(LogLevel Level, string Message, Exception? Exception)> ReportsOf(string marker)
    {
        lock (_logger.Entries) return _logger.Entries.Where(e => e.Exception?.Message == marker).ToList();
    }

    private static void Collect()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailAndDrop(string marker)
    {
        var d = new Deferred<int>();
        d.AddCallback(int (_) => throw new MarkerError(marker));
        d.Callback(1);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailHandleAndDrop(string marker)
    {
        var d = Deferred.Fail<int>(new MarkerError(marker));
        d.AddErrback(_ => 0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailChainAndDrop(string marker)
    {
        var inner = Deferred.Fail<int>(new MarkerError(marker));
        var outer = Deferred.Succeed(0).AddCallback(_ => inner);
        outer.AddErrback(_ => 0);
    }

    // twisted: test_defer.LogTests.test_errorLog / research E20
    [Test]
    public void CollectedDeferredWithAnUnhandledFailureIsLogged()
    {
        FailAndDrop("unhandled-1");
        Collect();
        var reports = ReportsOf("unhandled-1");
        Assert.That(reports, Has.Count.EqualTo(1));
        Assert.That(reports[0].Level, Is.EqualTo(LogLevel.Critical));
        Assert.That(reports[0].Message, Does.StartWith("Unhandled error in Deferred:"));
        Assert.That(reports[0].Message, Does.Contain("MarkerError"));
    }

    // twisted: test_defer.LogTests.test_errorLogDebugInfo
    [Test]
    public void UnhandledReportIncludesDebugStacksInDebugMode()
    {
        Deferred.Debug = true;
        FailAndDrop("unhandled-debug");
        Deferred.Debug = false;
        Collect();
        var report = ReportsOf("unhandled-debug").Single();
        Assert.That(report.Message, Does.Contain("Deferred was created"));
        Assert.That(report.Message, Does.Contain("First Invoker was"));
        Assert.That(report.Message, Does.Contain(nameof(FailAndDrop)));
    }

    // twisted: test_defer.LogTests.test_chainedErrorCleanup
    [Test]
    public void HandledFailureIsNotLogged()
    {
        FailHandleAndDrop("handled-1");
        Collect();
        Assert.That(ReportsOf("handled-1"), Is.Empty);
    }

    // twisted: test_defer.LogTests.test_errorClearedByChaining
    [Test]
    public void FailureHandedOnByChainingIsNotLoggedForTheInnerDeferred()
    {
        FailChainAndDrop("chained-1");
        Collect();
        Assert.That(ReportsOf("chained-1"), Is.Empty);
    }

    [Test]
    public void UnobservedFailuresReportsUnhandledFailuresWithoutTheGarbageCollector()
    {
        using var unobserved = UnobservedFailures.Track();
        var handled = Deferred.Fail<int>(new MarkerError("tracked-handled"));
        handled.AddErrback(_ => 0);
        var unhandled = Deferred.Fail<int>(new MarkerError("tracked-unhandled"));
        var failures = unobserved.Flush();
        Assert.That(failures.Select(f => f.Value.Message), Is.EqualTo(new[] { "tracked-unhandled" }));
        Assert.That(unhandled.Called);
        // Flushed failures are forgotten: neither reported again nor logged at collection.
        unobserved.AssertNone();
    }

    [Test]
    public void AssertNoneThrowsWithTheTraceback()
    {
        using var unobserved = UnobservedFailures.Track();
        Deferred.Succeed(1).AddCallback(int (_) => throw new MarkerError("assert-none"));
        var error = Assert.Throws<UnobservedFailureException>(unobserved.AssertNone);
        Assert.That(error!.Failures.Single().Value.Message, Is.EqualTo("assert-none"));
        Assert.That(error.Message, Does.Contain("MarkerError"));
    }

    [Test]
    public void FailureHandledBeforeTheFlushIsNotReported()
    {
        using var unobserved = UnobservedFailures.Track();
        var d = Deferred.Fail<int>(new MarkerError("late-handled"));
        d.AddErrback(_ => 0);
        unobserved.AssertNone();
    }

    [Test]
    public async Task UnobservedFailuresFollowsAsyncFlow()
    {
        using var unobserved = UnobservedFailures.Track();
        await Task.Yield();
        _ = Deferred.Fail<int>(new MarkerError("async-flow"));
        Assert.That(unobserved.Flush().Single().Value.Message, Is.EqualTo("async-flow"));
    }

    // twisted: test_defer.AlreadyCalledTests.testAlreadyCalledDebug_CC
    [Test]
    public void AlreadyCalledErrorNamesCreatorAndInvokerInDebugMode()
    {
        Deferred.Debug = true;
        var d = new Deferred<int>();
        d.Callback(1);
        var error = Assert.Throws<AlreadyCalledError>(() => d.Callback(2));
        Assert.That(error!.DebugInfo, Does.Contain(" C:"));
        Assert.That(error.DebugInfo, Does.Contain(" I:"));
        Assert.That(error.Message, Does.Contain(nameof(AlreadyCalledErrorNamesCreatorAndInvokerInDebugMode)));
    }

    // twisted: test_defer.AlreadyCalledTests.testNoDebugging
    [Test]
    public void AlreadyCalledErrorHasNoDebugInfoByDefault()
    {
        var d = new Deferred<int>();
        d.Callback(1);
        var error = Assert.Throws<AlreadyCalledError>(() => d.Errback(new GenericError()));
        Assert.That(error!.DebugInfo, Is.Null);
    }

    // twisted: test_defer.AlreadyCalledTests.testSwitchDebugging
    [Test]
    public void DebugModeAppliesToDeferredsCreatedWhileOn()
    {
        Deferred.Debug = true;
        Deferred.Debug = false;
        var d = new Deferred<int>();
        d.Callback(1);
        Assert.That(Assert.Throws<AlreadyCalledError>(() => d.Callback(1))!.DebugInfo, Is.Null);
        Deferred.Debug = true;
        var e = new Deferred<int>();
        e.Callback(1);
        Assert.That(Assert.Throws<AlreadyCalledError>(() => e.Callback(1))!.DebugInfo, Is.Not.Null);
    }
}
