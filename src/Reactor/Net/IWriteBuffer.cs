namespace Reactor.Net;

/// <summary>
/// The flow-control settings of a stream transport's pending output. Every TCP, UNIX and TLS
/// transport implements it: cast the protocol's <c>Transport</c> to reach it.
/// </summary>
/// <remarks>
/// A streaming (push) producer registered on the transport is paused when the pending output
/// grows past <see cref="HighWaterMark"/> (strictly greater, as Twisted's <c>bufferSize</c>), and
/// resumed when it drains to <see cref="LowWaterMark"/> or below. A pull producer is asked for
/// more each time the output drains to the low-water mark. Threading: reactor thread only.
/// </remarks>
public interface IWriteBuffer
{
    /// <summary>The default high-water mark: 64 KiB, as Twisted.</summary>
    const long DefaultHighWaterMark = 64 * 1024;

    /// <summary>Bytes written but not yet accepted by the kernel.</summary>
    long PendingBytes { get; }

    /// <summary>Pending output above which a streaming producer is paused. Defaults to 64 KiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or below <see cref="LowWaterMark"/>.</exception>
    long HighWaterMark { get; set; }

    /// <summary>
    /// Pending output at or below which a paused producer is resumed. Defaults to 0: resume once
    /// everything is sent, as Twisted.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or above <see cref="HighWaterMark"/>.</exception>
    long LowWaterMark { get; set; }
}
