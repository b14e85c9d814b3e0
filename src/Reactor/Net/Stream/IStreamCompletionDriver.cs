using Reactor.Native;

namespace Reactor.Net.Stream;

/// <summary>
/// A completion driver (io_uring, IOCP) that moves one stream connection's bytes in place of the
/// transport's readiness path (selector interest plus recv/send/writev). The transport keeps every
/// meaning (buffers, producers, half-close, TLS, close); the driver only submits and reports back
/// through <see cref="StreamTransport.ReceiveCompleted"/>, <see cref="StreamTransport.ReceiveFailed"/>,
/// <see cref="StreamTransport.SendCompleted"/> and <see cref="StreamTransport.SendFailed"/>.
/// Every call is on the reactor thread. See docs/design/stream-io-seam.md.
/// </summary>
internal interface IStreamCompletionDriver
{
    /// <summary>
    /// Arms receiving for <paramref name="transport"/>. Data that completes after
    /// <see cref="StopReceiving"/> is the driver's to hold until the next call: the transport drops
    /// what arrives while it is not reading.
    /// </summary>
    void StartReceiving(StreamTransport transport, int fd);

    /// <summary>Stops receiving (a paused producer, a half-closed or closing connection).</summary>
    void StopReceiving(StreamTransport transport, int fd);

    /// <summary>
    /// Submits one send of <paramref name="vectors"/>. They point into the transport's pinned output
    /// segments, which stay valid and unmoved until the driver reports this send with
    /// <see cref="StreamTransport.SendCompleted"/> or <see cref="StreamTransport.SendFailed"/>, even if
    /// the connection closes meanwhile. The transport keeps at most one send in flight.
    /// </summary>
    void SubmitSend(StreamTransport transport, int fd, ReadOnlySpan<IoVec> vectors);

    /// <summary>
    /// Closes <paramref name="fd"/> (shutdown or SO_LINGER already applied). The transport forgets the
    /// descriptor at once; the driver closes it when no submission can still complete on it, and
    /// still reports an in-flight send (typically <c>ECANCELED</c>).
    /// </summary>
    void Close(StreamTransport transport, int fd);
}

/// <summary>A reactor that drives stream connections by completion (implemented by the loop when it runs one).</summary>
internal interface IStreamCompletionSource
{
    /// <summary>The driver for new stream connections, or null for the readiness path.</summary>
    IStreamCompletionDriver? StreamDriver { get; }

    /// <summary>The driver listening sockets accept through, or null for accept(2) on readiness.</summary>
    IAcceptCompletionDriver? AcceptDriver { get; }
}
