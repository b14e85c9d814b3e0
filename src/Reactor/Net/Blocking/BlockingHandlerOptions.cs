namespace Reactor.Net.Blocking;

/// <summary>How a <see cref="BlockingHandlerFactory"/> runs its handlers.</summary>
public sealed class BlockingHandlerOptions
{
    /// <summary>Worker threads, each running one handler at a time. Defaults to 16.</summary>
    public int Workers { get; init; } = 16;

    /// <summary>What happens to a connection that arrives while every worker is busy. Defaults to <see cref="BusyPolicy.Queue"/>.</summary>
    public BusyPolicy WhenBusy { get; init; } = BusyPolicy.Queue;

    /// <summary>
    /// With <see cref="BusyPolicy.Queue"/>: how many connections may wait for a worker; one more
    /// is refused (closed at once). Defaults to 1,024. Waiting connections are served in the order they arrived.
    /// </summary>
    public int MaxQueued { get; init; } = 1024;

    /// <summary>
    /// Bytes received and not yet read by the handler, per connection, above which the socket is
    /// no longer read (the peer is slowed by TCP flow control). Reading resumes below half of it. Defaults to 64 KiB.
    /// </summary>
    public int InputLimit { get; init; } = 64 * 1024;

    /// <summary>
    /// Bytes a handler may have written that the reactor thread has not yet taken, per connection;
    /// a write past it blocks the handler. Writes also block while the transport's own output is
    /// above its high-water mark. Defaults to 64 KiB.
    /// </summary>
    public int OutputLimit { get; init; } = 64 * 1024;

    internal void Validate()
    {
        if (Workers < 1) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "At least one worker is needed.");
        if (MaxQueued < 0) throw new ArgumentOutOfRangeException(nameof(MaxQueued), MaxQueued, "MaxQueued must be 0 or more.");
        if (InputLimit < 1) throw new ArgumentOutOfRangeException(nameof(InputLimit), InputLimit, "InputLimit must be positive.");
        if (OutputLimit < 1) throw new ArgumentOutOfRangeException(nameof(OutputLimit), OutputLimit, "OutputLimit must be positive.");
    }
}

/// <summary>What a <see cref="BlockingHandlerFactory"/> does with a connection when every worker is busy.</summary>
public enum BusyPolicy
{
    /// <summary>It waits, in arrival order, for a free worker, up to <see cref="BlockingHandlerOptions.MaxQueued"/>; past that it is refused.</summary>
    Queue,

    /// <summary>It is refused: closed at once, without a byte read or written (and logged).</summary>
    Refuse,
}
