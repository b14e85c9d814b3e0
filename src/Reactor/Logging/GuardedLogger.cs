using Microsoft.Extensions.Logging;

namespace Reactor.Logging;

/// <summary>
/// The reactor's view of the user's logger: a logger that throws — a sink that cannot be opened
/// (EMFILE while the process is out of descriptors), a full disk, a bug in a provider — never
/// escapes into the loop. What it threw is dropped (there is nowhere left to report it), and
/// counted in <see cref="Failures"/>.
/// </summary>
internal sealed class GuardedLogger(ILogger inner) : ILogger
{
    private int _failures;

    /// <summary>The logger behind this one.</summary>
    public ILogger Inner => inner;

    /// <summary>How many calls into the inner logger threw.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _failures);
            return false;
        }
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _failures);
            return null;
        }
    }
}
