using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Reactor.Tests.Core.Threading;

/// <summary>An ILogger that records every entry and signals each one, so tests wait for a log line instead of sleeping.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public SemaphoreSlim Logged { get; } = new(0);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Entries.Enqueue((logLevel, formatter(state, exception), exception));
        Logged.Release();
    }
}
