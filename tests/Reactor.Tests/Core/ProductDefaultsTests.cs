using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Logging;
using Reactor.Native;

namespace Reactor.Tests.Core;

/// <summary>What a user gets without configuring anything: visible errors, a clear platform error.</summary>
[NonParallelizable] // swaps Console.Error
public class ProductDefaultsTests
{
    [Test]
    public void WindowsIsRefusedWithAMessageNamingThePlatformsThatRun()
    {
        var error = Assert.Throws<PlatformNotSupportedException>(() => ReactorLoop.ThrowIfUnsupported(isWindows: true));
        Assert.That(error!.Message, Does.Contain("Linux").And.Contain("macOS").And.Contain("Windows is not supported"));
        Assert.DoesNotThrow(() => ReactorLoop.ThrowIfUnsupported(isWindows: false));
    }

    [Test]
    public void WithNoLoggerAnExceptionInUserCodeReachesStandardErrorAndTheLoopGoesOn()
    {
        var stderr = CaptureStandardError(() =>
        {
            using var reactor = ReactorLoop.Create();
            Assert.That(reactor.Logger, Is.SameAs(StandardErrorLogger.Instance));
            var after = false;
            reactor.CallLater(TimeSpan.Zero, () => throw new InvalidOperationException("boom in a timer"));
            reactor.CallLater(TimeSpan.FromMilliseconds(1), () =>
            {
                after = true;
                reactor.Stop();
            });
            reactor.CallLater(TimeSpan.FromSeconds(30), reactor.Stop); // bound
            reactor.Run();
            Assert.That(after, Is.True, "the loop went on after the exception");
        });
        Assert.That(stderr, Does.Contain("boom in a timer").And.Contain("InvalidOperationException"));
    }

    [Test]
    public void TheStandardErrorLoggerShowsWarningsAndUpAndNeverThrows()
    {
        var logger = StandardErrorLogger.Instance;
        Assert.That(logger.IsEnabled(LogLevel.Information), Is.False);
        Assert.That(logger.IsEnabled(LogLevel.Warning), Is.True);
        Assert.That(logger.IsEnabled(LogLevel.Critical), Is.True);

        var stderr = CaptureStandardError(() =>
            logger.Log<string>(LogLevel.Error, default, "state", null, (_, _) => throw new FormatException("a formatter that throws")));
        Assert.That(stderr, Is.Empty, "a failing formatter is swallowed, not thrown into the loop");

        var previous = Console.Error;
        Console.SetError(new ThrowingWriter());
        try
        {
            Assert.DoesNotThrow(() => logger.LogError("stderr is broken"));
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    [Test]
    public void AnUnhandledDeferredFailureReachesStandardErrorByDefault()
    {
        var previous = Deferred.Logger;
        Deferred.Logger = StandardErrorLogger.Instance; // the default; an earlier test may have set its own
        try
        {
            var stderr = CaptureStandardError(() =>
            {
                FailAndDrop();
                for (var i = 0; i < 5; i++)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            });
            Assert.That(stderr, Does.Contain("Unhandled error in Deferred").And.Contain("nobody handled this"));
        }
        finally
        {
            Deferred.Logger = previous;
        }
    }

    [Test]
    public void SignalHandlersDefaultToTheMainThreadOnly()
    {
        Assert.That(new ReactorOptions().InstallSignalHandlers, Is.Null, "null = when Run is on the main thread");
        Assert.That(MainThread.IsCurrent(), Is.False, "a test runs on a runner thread, never the process's main thread");
        // The main-thread case runs in the example and docs tests: SIGTERM to a child process
        // exits 0 through the shutdown (GettingStartedTests, ExampleInteropTests).
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FailAndDrop() => Deferred.Fail<int>(new InvalidOperationException("nobody handled this"));

    private static string CaptureStandardError(Action action)
    {
        var previous = Console.Error;
        var writer = new StringWriter();
        Console.SetError(writer);
        try
        {
            action();
        }
        finally
        {
            Console.SetError(previous);
        }
        return writer.ToString();
    }

    private sealed class ThrowingWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("stderr closed");

        public override void WriteLine(string? value) => throw new IOException("stderr closed");
    }
}
