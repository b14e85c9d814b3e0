using System.IO.Pipelines;

namespace Reactor.Protocols.Pipelines;

/// <summary>Settings of a <see cref="TransportDuplexPipe"/>.</summary>
public sealed class DuplexPipeOptions
{
    /// <summary>
    /// Where the async code's continuations run: a <see cref="ReactorPipeScheduler"/> for the
    /// reactor thread, or <see cref="PipeScheduler.Inline"/> (tests, or code that is known to run
    /// on the reactor thread already). Defaults to <see cref="PipeScheduler.Inline"/>.
    /// </summary>
    public PipeScheduler Scheduler { get; init; } = PipeScheduler.Inline;

    /// <summary>
    /// Unread input size at which the transport is paused (it stops reading). Defaults to 64 KiB.
    /// </summary>
    public long PauseThreshold { get; init; } = 64 * 1024;

    /// <summary>Unread input size under which the transport resumes. Defaults to 32 KiB.</summary>
    public long ResumeThreshold { get; init; } = 32 * 1024;

    /// <summary>The smallest buffer segment the input pipe uses. Defaults to 4 KiB.</summary>
    public int MinimumSegmentSize { get; init; } = 4096;
}
