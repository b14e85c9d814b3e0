namespace Reactor.Core;

/// <summary>Transport policy that used to be process-wide statics: now per reactor (issue 18).</summary>
public sealed partial class ReactorOptions
{
    /// <summary>The default <see cref="WriteThroughThreshold"/>: 16 KiB, one output segment.</summary>
    public const int DefaultWriteThroughThreshold = 16 * 1024;

    /// <summary>The default <see cref="TlsCloseNotifyTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultTlsCloseNotifyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="AcceptRetryDelay"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan DefaultAcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The write strategy of new TCP and UNIX connections: a write of at least this many bytes, with
    /// nothing pending, goes straight to send(2) from the caller's buffer; smaller writes are gathered
    /// and sent with one send or writev at the end of the loop iteration. 0 writes everything through,
    /// <see cref="int.MaxValue"/> gathers everything. Default 16 KiB (docs/design/tcp.md has the
    /// measurements behind it).
    /// </summary>
    public int WriteThroughThreshold { get; set; } = DefaultWriteThroughThreshold;

    /// <summary>
    /// How long a TLS connection that is closing waits for the peer's close_notify after sending its
    /// own before it closes the socket anyway. Default 10 s; <see cref="Timeout.InfiniteTimeSpan"/>
    /// waits for the peer.
    /// </summary>
    public TimeSpan TlsCloseNotifyTimeout { get; set; } = DefaultTlsCloseNotifyTimeout;

    /// <summary>
    /// How long a listening TCP or UNIX port stops accepting after the process ran out of descriptors
    /// or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) before it tries again. Existing connections carry on
    /// meanwhile. Default 100 ms.
    /// </summary>
    public TimeSpan AcceptRetryDelay { get; set; } = DefaultAcceptRetryDelay;

    /// <summary>Checks the options above; called by <see cref="ReactorLoop.Create"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is negative, or a delay is negative (the close_notify wait may be infinite).</exception>
    internal void ValidateHouse()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(WriteThroughThreshold, nameof(WriteThroughThreshold));
        CheckTimeout(TlsCloseNotifyTimeout, nameof(TlsCloseNotifyTimeout));
        if (AcceptRetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AcceptRetryDelay), AcceptRetryDelay, "AcceptRetryDelay must not be negative.");
    }
}
