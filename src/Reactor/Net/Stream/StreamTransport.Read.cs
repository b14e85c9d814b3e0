using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

internal abstract partial class StreamTransport
{
    /// <summary>
    /// The socket is readable: one recv into the reactor's shared buffer, handed to the protocol.
    /// The connection ends here (never through the return value, see <see cref="Disconnect"/>) on
    /// the peer's FIN (<see cref="ConnectionDone"/>), an OS error (<see cref="ConnectionLost"/>
    /// carrying it), or an exception the protocol threw (that exception).
    /// </summary>
    public Exception? DoRead()
    {
        var reason = ReadOnce();
        if (reason is not null) Disconnect(reason);
        return null;
    }

    private Exception? ReadOnce()
    {
        // A readiness report that raced with PauseProducing, or a closing connection still registered.
        if (!_reading || _disconnecting || _aborting) return null;
        var buffer = Host.ReadBuffer;
        var received = ReceiveSome(buffer, out var errno);
        return received >= 0 ? CompleteReceive(new ReadOnlySpan<byte>(buffer, 0, (int)received)) : CompleteReceiveError(errno);
    }

    /// <summary>
    /// The lower I/O seam, receive side: one recv(2) into <paramref name="buffer"/>. Returns the byte count
    /// (0 = the peer's FIN) or -1 with <paramref name="errno"/>. A family overrides it (UNIX: recvmsg for
    /// descriptor passing). A completion driver never calls it: it pushes what the kernel read into
    /// <see cref="ReceiveCompleted"/> / <see cref="ReceiveFailed"/>.
    /// </summary>
    protected virtual unsafe nint ReceiveSome(Span<byte> buffer, out Errno errno)
    {
        // The reactor's buffer is pinned (pinned object heap): fixing it costs nothing.
        fixed (byte* p = buffer)
        {
            return Syscalls.Recv(_fd, p, buffer.Length, out errno);
        }
    }

    /// <summary>
    /// Bytes arrived (empty: the peer's FIN): hands them to the protocol. Shared by readiness (after
    /// <see cref="ReceiveSome"/>) and completion (<see cref="ReceiveCompleted"/>), so both mean the same.
    /// Returns the reason the connection ends, or null.
    /// </summary>
    private Exception? CompleteReceive(ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty)
        {
            _counters.BytesReceived += data.Length;
            try
            {
                _protocol.DataReceived(data);
            }
            catch (Exception ex)
            {
                LogUserError(ex, "DataReceived");
                return ex;
            }
            return null;
        }
        // EOF after a readiness that carried an error (libkqueue clears SO_ERROR): the error, not a clean close.
        return Host.CurrentReadiness.ErrorCode is int carried and not 0 ? ConnectionErrorMapping.ForEstablished(new Errno(carried)) : ReadEndOfFile();
    }

    /// <summary>A receive failed with <paramref name="errno"/>: nothing (EAGAIN, EINTR) or the reason the connection ends.</summary>
    private static Exception? CompleteReceiveError(Errno errno) =>
        errno.IsWouldBlock || errno == Errno.EINTR ? null : ConnectionErrorMapping.ForEstablished(errno);

    /// <summary>
    /// The peer sent FIN. A half-closeable protocol is told with <c>ReadConnectionLost</c> and may
    /// keep writing; any other protocol loses the connection cleanly.
    /// </summary>
    private Exception? ReadEndOfFile()
    {
        if (_protocol is not IHalfCloseableProtocol halfCloseable) return new ConnectionDone();
        _readClosed = true;
        StopReading();
        return HalfClosed(halfCloseable, readSide: true);
    }

    /// <summary>
    /// Tells the protocol one direction is closed (its <c>ReadConnectionLost</c> or
    /// <c>WriteConnectionLost</c>). The callback's exception ends the connection; otherwise the
    /// connection ends only when both directions are now closed.
    /// </summary>
    private Exception? HalfClosed(IHalfCloseableProtocol protocol, bool readSide)
    {
        try
        {
            if (readSide) protocol.ReadConnectionLost();
            else protocol.WriteConnectionLost();
        }
        catch (Exception ex)
        {
            LogUserError(ex, readSide ? "ReadConnectionLost" : "WriteConnectionLost");
            return ex;
        }
        return BothSidesClosed();
    }

    // Both directions are now closed: nothing more can happen on this connection.
    private ConnectionDone? BothSidesClosed() => _readClosed && _writeClosed ? new ConnectionDone() : null;

    /// <summary>Stops reading (the transport as a push producer); a peer's close is reported after resuming.</summary>
    public void RawPauseProducing()
    {
        if (!_connected) return;
        _pausedByProtocol = true;
        StopReading();
    }

    /// <summary>Starts reading again after <see cref="RawPauseProducing"/>.</summary>
    public void RawResumeProducing()
    {
        if (!_connected || !_pausedByProtocol) return;
        _pausedByProtocol = false;
        if (MayRead) StartReading();
    }

}
