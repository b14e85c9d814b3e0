using Microsoft.Extensions.Logging;

namespace Reactor.Logging;

/// <summary>
/// The logger a reactor and <see cref="Reactor.Defer.Deferred"/> use when the user gives none:
/// warnings and errors go to standard error, as Twisted prints an unhandled error, so a failure in
/// user code is never silent. It never throws: the loop calls it while it recovers from user
/// code, and a logger that fails there must not stop the loop.
/// </summary>
internal sealed class StandardErrorLogger : ILogger
{
    /// <summary>The one instance: it holds no state.</summary>
    public static readonly StandardErrorLogger Instance = new();

    private StandardErrorLogger()
    {
        try
        {
            // .NET opens its stderr writer on first use, by duplicating descriptor 2. Opened lazily,
            // that first use is typically an accept() failing with EMFILE, when the dup fails too and
            // the one message that explains the outage is lost (issue 12): open it now, while we can.
            _ = Console.Error;
        }
        catch (Exception)
        {
            // No usable stderr at all: Log drops its messages, as documented.
        }
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <summary>Warnings and above: what a user should see without asking.</summary>
    public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        try
        {
            var text = $"{Label(logLevel)}: {formatter(state, exception)}";
            // One write per entry, so lines from several threads do not interleave mid-entry.
            Console.Error.WriteLine(exception is null ? text : text + Environment.NewLine + exception);
        }
        catch (Exception)
        {
            // A closed or broken stderr (or a formatter that throws) must not reach the loop.
        }
    }

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "critical",
    };
}
