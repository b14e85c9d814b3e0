using Microsoft.Extensions.Logging;
using Reactor.Selectors;

namespace Reactor.Core;

/// <summary>How <see cref="ReactorLoop.Create"/> builds a reactor.</summary>
public sealed partial class ReactorOptions
{
    /// <summary>The default size of the reactor's read buffer: 64 KiB.</summary>
    public const int DefaultReadBufferSize = 64 * 1024;

    /// <summary>
    /// The selector backend. Null (the default) honours the <c>REACTOR_SELECTOR</c> environment
    /// variable (<c>epoll</c>, <c>kqueue</c>, <c>poll</c>, <c>select</c>) and otherwise picks the best
    /// backend for the OS.
    /// </summary>
    public SelectorKind? Selector { get; set; }

    /// <summary>Where the reactor logs (it creates a logger named <c>Reactor.Core.ReactorLoop</c>). Ignored when <see cref="Logger"/> is set.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The logger the reactor and its transports log through. Default: warnings and errors to
    /// standard error (pass <c>NullLogger.Instance</c> for silence, or set <see cref="LoggerFactory"/>).
    /// </summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// The size in bytes of the one read buffer every connection of this reactor reads into
    /// (the loop is single-threaded, so one buffer serves all). Default 64 KiB.
    /// </summary>
    public int ReadBufferSize { get; set; } = DefaultReadBufferSize;

    /// <summary>The most readiness events one wait collects. Default 1024.</summary>
    public int MaxEventsPerWait { get; set; } = 1024;

    /// <summary>Builds the selector instead of <see cref="Selector"/>: for tests that inject one.</summary>
    internal Func<ISelector>? SelectorFactory { get; init; }
}
