namespace Reactor.Core;

/// <summary>The limits that keep a hostile or stalled peer from costing memory, descriptors or the loop.</summary>
public sealed partial class ReactorOptions
{
    /// <summary>The default <see cref="TlsHandshakeTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultTlsHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default <see cref="CloseTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="WriteHighWaterMark"/>: 64 KiB, as Twisted's <c>bufferSize</c>.</summary>
    public const long DefaultWriteHighWaterMark = 64 * 1024;

    /// <summary>The default <see cref="MaxConsecutiveSelectorFailures"/>.</summary>
    public const int DefaultMaxConsecutiveSelectorFailures = 10;

    /// <summary>
    /// The high-water mark every new stream transport (TCP, UNIX, TLS) starts with: once more than
    /// this many bytes wait to be sent, a registered streaming producer is paused — and when no
    /// producer is registered, the transport stops reading from its peer until the output drains to
    /// <see cref="WriteLowWaterMark"/>. So a peer that sends and never reads cannot make a server
    /// buffer without bound. Default 64 KiB (Twisted's <c>bufferSize</c>); settable per transport
    /// through <c>IWriteBuffer</c> (cast the transport).
    /// </summary>
    public long WriteHighWaterMark { get; set; } = DefaultWriteHighWaterMark;

    /// <summary>
    /// The low-water mark every new stream transport starts with: output at or below it resumes a
    /// paused producer, or reading paused by <see cref="WriteHighWaterMark"/>. Default 0.
    /// </summary>
    public long WriteLowWaterMark { get; set; }

    /// <summary>
    /// How long a TLS handshake may take on every TLS entry point (ListenSsl, ConnectSsl, StartTls,
    /// endpoint strings) before the connection is dropped with a <c>TlsError</c> of kind
    /// <c>HandshakeTimedOut</c>. Default 10 s; <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// <c>TlsOptions.HandshakeTimeout</c> overrides it per port or connection.
    /// </summary>
    public TimeSpan TlsHandshakeTimeout { get; set; } = DefaultTlsHandshakeTimeout;

    /// <summary>
    /// How long <c>LoseConnection</c> on a TCP or UNIX stream waits while the peer takes none of
    /// the pending output (a zero TCP window: a peer that never reads) before it gives up, aborts
    /// the connection (RST) and reports <c>ConnectionAborted</c>. Measured from the last progress,
    /// so a slow peer that keeps reading gets everything. Default 30 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever, as Twisted does.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = DefaultCloseTimeout;

    /// <summary>
    /// How many times in a row the selector's wait may fail (other than EINTR) before
    /// <see cref="ReactorLoop.Run"/> gives up and throws a <see cref="Errors.ReactorStateError"/> naming the
    /// error, instead of spinning. Between failures the loop backs off (1 ms, doubling, at most 1 s).
    /// Default 10.
    /// </summary>
    public int MaxConsecutiveSelectorFailures { get; set; } = DefaultMaxConsecutiveSelectorFailures;

    /// <summary>Checks the limits above; called by <see cref="ReactorLoop.Create"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A mark is negative or the low one above the high one, a timeout is negative (other than infinite), or the failure bound is below 1.</exception>
    internal void ValidateHardening()
    {
        if (WriteHighWaterMark < 0 || WriteLowWaterMark < 0 || WriteLowWaterMark > WriteHighWaterMark)
        {
            throw new ArgumentOutOfRangeException(nameof(WriteLowWaterMark), $"WriteLowWaterMark ({WriteLowWaterMark}) and WriteHighWaterMark ({WriteHighWaterMark}) must be at least 0, low at most high.");
        }
        CheckTimeout(TlsHandshakeTimeout, nameof(TlsHandshakeTimeout));
        CheckTimeout(CloseTimeout, nameof(CloseTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConsecutiveSelectorFailures, 1, nameof(MaxConsecutiveSelectorFailures));
    }

    private static void CheckTimeout(TimeSpan timeout, string name)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, timeout, $"{name} must be positive or Timeout.InfiniteTimeSpan.");
        }
    }
}
