using Microsoft.Extensions.Logging;

namespace Reactor.Tests.Core;

/// <summary>An ILogger that records what is logged, for asserting that failures are reported. Thread-safe.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Errors =>
        Entries.Where(e => e.Level >= LogLevel.Error).ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add((logLevel, formatter(state, exception), exception));
    }
}
