using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Selectors;

namespace Reactor.Tests.Core.Hardening;

/// <summary>
/// Faults of the loop's own machinery (issue 12, scope 3): a logger that throws never escapes the
/// loop; a selector that keeps failing backs off and then stops the loop with a clear error.
/// </summary>
public sealed class LoopFaultTests
{
    [Test]
    public void ALoggerThatThrowsNeverEscapesTheLoop()
    {
        var logger = new ThrowingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = logger });
        var ranAfter = false;
        reactor.CallLater(TimeSpan.Zero, () => throw new InvalidOperationException("user code fails; logging it fails too"));
        reactor.CallLater(TimeSpan.FromMilliseconds(1), () => ranAfter = true);
        reactor.CallLater(TimeSpan.FromMilliseconds(2), reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(ranAfter, Is.True);
        Assert.That(logger.Calls, Is.GreaterThan(0), "the failure was offered to the logger");
    }

    [Test]
    public void APersistentlyFailingSelectorStopsTheLoopWithAClearErrorInsteadOfSpinning()
    {
        FailingSelector? selector = null;
        using var reactor = ReactorLoop.Create(new ReactorOptions
        {
            Logger = new CapturingLogger(),
            MaxConsecutiveSelectorFailures = 4,
            SelectorFactory = () => selector = new FailingSelector(SelectorFactory.Create(null)),
        });
        selector!.Failing = true;
        var error = Assert.Throws<ReactorStateError>(reactor.Run);
        Assert.That(error!.Message, Does.Contain("failed 4 times in a row").And.Contain("EBADF-like"));
        Assert.That(selector.Waits, Is.EqualTo(4), "it gave up after the bound, without spinning");
    }

    [Test]
    public void ASelectorThatRecoversKeepsTheLoopRunning()
    {
        FailingSelector? selector = null;
        using var reactor = ReactorLoop.Create(new ReactorOptions
        {
            Logger = new CapturingLogger(),
            MaxConsecutiveSelectorFailures = 4,
            SelectorFactory = () => selector = new FailingSelector(SelectorFactory.Create(null)),
        });
        selector!.FailuresLeft = 3; // one short of the bound
        selector.Failing = true;
        reactor.CallLater(TimeSpan.FromMilliseconds(50), reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(reactor), Is.False);
        Assert.That(reactor.ConsecutiveSelectorFailures, Is.Zero);
    }

    private sealed class ThrowingLogger : ILogger
    {
        public int Calls;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => throw new IOException("Too many open files");

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Calls++;
            throw new IOException("Too many open files (the sink could not be opened)");
        }
    }

    private sealed class FailingSelector(ISelector inner) : ISelector
    {
        public bool Failing;
        public int FailuresLeft = int.MaxValue;
        public int Waits;

        public SelectorKind Kind => inner.Kind;

        public void Register(int fd, Interest interest, long token) => inner.Register(fd, interest, token);

        public void Modify(int fd, Interest interest, long token) => inner.Modify(fd, interest, token);

        public void Unregister(int fd) => inner.Unregister(fd);

        public void UnregisterBeforeClose(int fd) => inner.UnregisterBeforeClose(fd);

        public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
        {
            if (Failing && FailuresLeft > 0)
            {
                Waits++;
                FailuresLeft--;
                throw new IOException("epoll_wait failed: EBADF-like persistent error");
            }
            return inner.Wait(events, timeout);
        }

        public void Wake() => inner.Wake();

        public void Dispose() => inner.Dispose();
    }
}
