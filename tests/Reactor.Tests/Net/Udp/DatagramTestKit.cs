using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Protocols;
using Reactor.Selectors;

namespace Reactor.Tests.Net.Udp;

/// <summary>Helpers for the UDP and UNIX-socket tests: a reactor with a capturing logger, bounded runs.</summary>
internal static class DatagramTestKit
{
    /// <summary>The generous deadline for anything that waits on the loop (the machine is shared).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>A reactor on the <paramref name="kind"/> backend (null: the default) whose log lines are kept in <paramref name="log"/>.</summary>
    public static ReactorLoop CreateReactor(out LogRecorder log, SelectorKind? kind = null)
    {
        log = new LogRecorder();
        return ReactorLoop.Create(new ReactorOptions { Logger = log, Selector = kind });
    }

    /// <summary>Iterates <paramref name="reactor"/> until <paramref name="condition"/> holds; fails after <see cref="Deadline"/>.</summary>
    public static void IterateUntil(ReactorLoop reactor, Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out after {Deadline.TotalSeconds} s waiting for: {what}");
            reactor.Iterate(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Iterates until <paramref name="deferred"/> has fired; returns its result or rethrows its failure.</summary>
    public static T Wait<T>(ReactorLoop reactor, Deferred<T> deferred, string what)
    {
        var done = false;
        T result = default!;
        Failure? failure = null;
        deferred.AddCallbacks<object?>(
            r => { result = r; done = true; return (object?)null; },
            f => { failure = f; done = true; return (object?)null; });
        IterateUntil(reactor, () => done, what);
        failure?.Rethrow();
        return result;
    }

    /// <summary>A fresh short directory for UNIX sockets (sun_path is short, so not under a long test path).</summary>
    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rx-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>Keeps every log line (level, message, exception) for assertions.</summary>
internal sealed class LogRecorder : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));

    public bool Contains(LogLevel level, string fragment) =>
        Entries.Any(e => e.Level == level && e.Message.Contains(fragment, StringComparison.Ordinal));
}

/// <summary>A datagram protocol that records everything it is told.</summary>
internal class RecordingDatagramProtocol : DatagramProtocol
{
    public List<(byte[] Data, EndPoint From)> Received { get; } = new();

    public int Starts { get; private set; }

    public int Stops { get; private set; }

    public int Refusals { get; private set; }

    public Action<ReadOnlySpan<byte>, EndPoint>? OnDatagram { get; set; }

    public override void StartProtocol() => Starts++;

    public override void StopProtocol() => Stops++;

    public override void ConnectionRefused() => Refusals++;

    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
    {
        Received.Add((data.ToArray(), from));
        OnDatagram?.Invoke(data, from);
    }
}
