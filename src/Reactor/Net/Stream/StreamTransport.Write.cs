using System.Buffers;
using System.Net.Sockets;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

internal abstract partial class StreamTransport
{
    /// <summary>Bytes written but not yet taken by the kernel.</summary>
    public long PendingBytes => _output.Length;

    /// <summary>
    /// Queues <paramref name="data"/> (copied before returning). A write of at least
    /// <see cref="WriteThroughThreshold"/> bytes with nothing pending goes straight to send(2) and
    /// only what the kernel refuses is kept; smaller ones are gathered for the end-of-iteration flush. Dropped once the
    /// connection is closing (LoseConnection, LoseWriteConnection, AbortConnection) or closed.
    /// </summary>
    public void RawWrite(ReadOnlySpan<byte> data)
    {
        if (!_connected || _disconnecting || _aborting || _writeShutdownRequested || data.IsEmpty) return;

        // Not with a pull producer: it is asked for more only as buffered output drains. With a
        // completion driver too: the send(2) is synchronous, so nothing the kernel reads later points
        // into the caller's span (no send is in flight: the output is empty); what the kernel refuses
        // is copied and submitted. It saves a 64 KiB copy per bulk message on io_uring.
        if (data.Length >= WriteThroughThreshold && _output.IsEmpty && !_writing && _pendingLoss is null && (_producer is null || _streaming))
        {
            nint sent;
            Errno errno;
            do
            {
                sent = SendSome(data, out errno);
            }
            while (sent < 0 && errno == Errno.EINTR);
            if (sent > 0) CountSent(sent);
            if (sent == data.Length) return;
            if (sent < 0)
            {
                if (!errno.IsWouldBlock)
                {
                    // Reported from the loop: the caller may be inside DataReceived.
                    FailFromLoop(ConnectionErrorMapping.ForEstablished(errno));
                    return;
                }
                sent = 0;
            }
            _output.Append(data[(int)sent..]);
            // The kernel is full: wait for writability rather than retrying at the flush.
            StartWriting();
            // A completion driver has no writability to wait for: its send of the rest plays that part.
            if (_driver is not null) SubmitSend(_driver);
        }
        else
        {
            _output.Append(data);
            if (!_writing) RequestFlush();
        }
        PauseProducerIfOverHighWater();
        StopReadingIfOverHighWater();
    }

    /// <summary>Queues every segment of <paramref name="data"/>, in order.</summary>
    private void RawWriteSequence(ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            RawWrite(data.FirstSpan);
            return;
        }
        foreach (var segment in data) RawWrite(segment.Span);
    }

    /// <summary>Closes after every pending byte is sent; the protocol then sees <see cref="ConnectionDone"/>.</summary>
    public void RawLoseConnection()
    {
        if (!_connected || _disconnecting || _aborting) return;
        _disconnecting = true;
        // Reading stops at the flush, and only if the output cannot all go at once: a close that
        // completes in this iteration then makes no selector call before close(2).
        RequestFlush();
    }

    /// <summary>Sends FIN once pending bytes are sent; reading goes on. Later writes are dropped.</summary>
    public void RawLoseWriteConnection()
    {
        if (!_connected || _disconnecting || _aborting || _writeShutdownRequested) return;
        _writeShutdownRequested = true;
        RequestFlush();
    }

    /// <summary>Drops pending output and closes with RST; the protocol sees <see cref="ConnectionAborted"/> from the loop.</summary>
    public void RawAbortConnection()
    {
        if (!_connected || _aborting) return;
        _aborting = true;
        // Registrations stay until the close at the flush (no selector call before close(2)); DoRead ignores the socket meanwhile.
        DropOutput();
        _pendingLoss = new ConnectionAborted();
        RequestFlush();
    }

    /// <summary>End of the loop iteration: send what was gathered, and finish a requested close.</summary>
    public void FlushPending()
    {
        _flushRequested = false;
        if (_lost) return;
        if (_pendingLoss is not null)
        {
            Disconnect(_pendingLoss);
            return;
        }
        // Waiting for writability: sending now would only meet EAGAIN again; DoWrite will do it.
        // A close requested meanwhile waits for the peer to read: watch that it does.
        if (_writing)
        {
            if (_disconnecting) WatchStuckClose();
            return;
        }
        _flushing = true;
        Exception? reason;
        try
        {
            reason = SendPending();
        }
        finally
        {
            _flushing = false;
        }
        if (reason is not null) Disconnect(reason);
    }

    /// <summary>The kernel takes data again: send what is pending (and end the connection here if that ends it).</summary>
    public Exception? DoWrite()
    {
        if (_lost) return null;
        var reason = _pendingLoss ?? SendPending();
        if (reason is not null) Disconnect(reason);
        return null;
    }

    /// <summary>
    /// Sends until the output is empty or the kernel refuses more, then keeps writability interest
    /// only if bytes remain, resumes a waiting producer, and finishes a requested close.
    /// </summary>
    private Exception? SendPending()
    {
        var error = SendOutput();
        if (error is not null) return error;
        ResumeReadingIfDrained();

        if (_producer is not null && _output.Length <= LowWaterMark && (!_streaming || _producerPaused))
        {
            _producerPaused = false;
            try
            {
                if (_producer is IPushProducer push && _streaming) push.ResumeProducing();
                else ((IPullProducer)_producer).ResumeProducing();
            }
            catch (Exception ex)
            {
                LogUserError(ex, "ResumeProducing");
                return ex;
            }
            if (_pendingLoss is not null) return _pendingLoss;
        }

        if (!_output.IsEmpty)
        {
            if (_disconnecting)
            {
                StopReading(); // LoseConnection waits for writability: stop reading now
                WatchStuckClose();
            }
            StartWriting();
            // A producer resumed above may have written after the send was submitted (or after the output
            // drained): a completion driver has no writability to wake it, so submit now (no-op while one is in flight).
            if (_driver is not null) SubmitSend(_driver);
            return null;
        }
        StopWriting();

        if (_disconnecting) return new ConnectionDone();
        if (_writeShutdownRequested && !_writeClosed) return CloseWriteSide();
        return null;
    }

    /// <summary>
    /// One send(2) for a single segment, writev(2) for several, repeated until done or refused; with a
    /// completion driver, one submission (its report continues through <see cref="SendCompleted"/>).
    /// </summary>
    private unsafe Exception? SendOutput()
    {
        if (_driver is not null)
        {
            SubmitSend(_driver);
            return null;
        }
        var vectors = stackalloc IoVec[OutputBuffer.MaxGather];
        while (!_output.IsEmpty)
        {
            var count = _output.Gather(new Span<IoVec>(vectors, OutputBuffer.MaxGather));
            nint requested = 0;
            for (var i = 0; i < count; i++) requested += (nint)vectors[i].Length;

            Errno errno;
            var sent = count == 1
                ? SendSome(new ReadOnlySpan<byte>(vectors[0].Base, (int)requested), out errno)
                : SendGathered(new ReadOnlySpan<IoVec>(vectors, count), out errno);
            if (sent < 0)
            {
                if (errno.IsWouldBlock) return null;
                if (errno == Errno.EINTR) continue;
                return ConnectionErrorMapping.ForEstablished(errno);
            }
            _output.Consume(sent);
            CountSent(sent);
            if (sent < requested) return null; // the kernel's buffer is full
        }
        return null;
    }

    /// <summary>
    /// The lower I/O seam, send side: one send(2) of <paramref name="data"/>. Returns the bytes the kernel
    /// took or -1 with <paramref name="errno"/>. A family overrides it (UNIX: sendmsg carrying descriptors).
    /// </summary>
    protected virtual unsafe nint SendSome(ReadOnlySpan<byte> data, out Errno errno)
    {
        fixed (byte* p = data)
        {
            return Syscalls.Send(_fd, p, data.Length, out errno);
        }
    }

    /// <summary>The lower I/O seam, gathered send: one writev(2) of <paramref name="vectors"/> (pinned output segments).</summary>
    protected virtual unsafe nint SendGathered(ReadOnlySpan<IoVec> vectors, out Errno errno)
    {
        fixed (IoVec* p = vectors)
        {
            return Syscalls.Writev(_fd, p, vectors.Length, out errno);
        }
    }

    private Exception? CloseWriteSide()
    {
        _writeClosed = true;
        Syscalls.Shutdown(_fd, SocketShutdown.Send, out _);
        return _protocol is IHalfCloseableProtocol halfCloseable ? HalfClosed(halfCloseable, readSide: false) : BothSidesClosed();
    }
}
