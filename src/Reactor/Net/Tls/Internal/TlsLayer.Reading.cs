using System.Buffers;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>Delivering plaintext to the application, and pausing and resuming it.</summary>
internal sealed partial class TlsLayer
{
    /// <summary>Plaintext handed to the application per <c>DataReceived</c>: one TLS record's worth.</summary>
    private const int ReadChunkSize = 16 * 1024;

    private readonly Action _readContinuation;
    private readonly Action _scheduledPump;
    private ValueTask<int> _pendingRead;
    private byte[]? _readBuffer;
    private bool _readPending;
    private bool _readsFinished;
    private bool _closeNotifyReceived;
    private bool _applicationPaused;
    private bool _underlyingPaused;
    private bool _pumpScheduled;

    /// <summary>Stops delivering plaintext, and stops the transport underneath from reading.</summary>
    public void PauseProducing()
    {
        if (_plain)
        {
            RelayPause(true);
            return;
        }
        if (_applicationPaused) return;
        _applicationPaused = true;
        SyncUnderlyingReading();
    }

    /// <summary>
    /// Delivers plaintext again. What TLS already holds is delivered on the next reactor
    /// iteration, never inside this call; the transport underneath reads again once that is done.
    /// </summary>
    public void ResumeProducing()
    {
        if (_plain)
        {
            RelayPause(false);
            return;
        }
        if (!_applicationPaused) return;
        _applicationPaused = false;
        SyncUnderlyingReading();
        if (_pumpScheduled || _readPending || !_handshakeDone || _readsFinished || _lost) return;
        _pumpScheduled = true;
        // The reactor's pooled timers keep a pause/resume cycle free of allocation.
        if (_clock is Time.Internal.IPooledTimers timers) timers.CallLater(TimeSpan.Zero, static (TlsLayer layer) => layer.RunScheduledPump(), this);
        else _clock.CallLater(TimeSpan.Zero, _scheduledPump);
    }

    /// <summary>
    /// The transport underneath reads only while the application reads and no ciphertext waits
    /// here, so what this layer buffers is bounded by one delivery from the transport.
    /// </summary>
    private void SyncUnderlyingReading()
    {
        if (_underlying is null || _underlyingGone) return;
        var wanted = !_applicationPaused && _cipher.BufferedBytes == 0;
        if (wanted == !_underlyingPaused) return;
        _underlyingPaused = !wanted;
        if (wanted) DownResumeProducing();
        else DownPauseProducing();
    }

    private void RunScheduledPump()
    {
        _pumpScheduled = false;
        using var scope = LoopContextScope.Enter();
        PumpReads();
    }

    /// <summary>
    /// Reads plaintext out of SslStream and hands it to the application until there is none
    /// left, or the application pauses. Each round starts with a zero-byte read, which holds no
    /// buffer while waiting for the peer; the real read then completes at once, into a buffer
    /// rented only for that moment. An idle connection therefore keeps no read buffer.
    /// </summary>
    private void PumpReads()
    {
        PumpReadsCore();
        SyncUnderlyingReading();
    }

    private void PumpReadsCore()
    {
        while (_handshakeDone && !_readsFinished && !_applicationPaused && !_readPending && !_aborted && !_lost)
        {
            ValueTask<int> ready;
            try
            {
                ready = _ssl.ReadAsync(Memory<byte>.Empty);
            }
            catch (Exception e)
            {
                ReadFailed(e);
                return;
            }
            if (!ready.IsCompleted)
            {
                AwaitRead(ready, buffer: null);
                return;
            }
            if (!FinishReadinessRead(ready) || !ReadOneChunk()) return;
        }
    }

    /// <summary>Reads and delivers one chunk; false when the pump must stop.</summary>
    private bool ReadOneChunk()
    {
        if (_applicationPaused || _aborted || _lost) return false;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkSize);
        ValueTask<int> read;
        try
        {
            read = _ssl.ReadAsync(buffer.AsMemory(0, ReadChunkSize));
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ReadFailed(e);
            return false;
        }
        if (!read.IsCompleted)
        {
            // A record that carried no application data (a TLS 1.3 session ticket, say).
            AwaitRead(read, buffer);
            return false;
        }
        return FinishDataRead(read, buffer);
    }

    private void AwaitRead(ValueTask<int> read, byte[]? buffer)
    {
        _readPending = true;
        _pendingRead = read;
        _readBuffer = buffer;
        read.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_readContinuation);
    }

    private void OnReadCompleted()
    {
        var read = _pendingRead;
        var buffer = _readBuffer;
        _pendingRead = default;
        _readBuffer = null;
        _readPending = false;
        var go = buffer is null ? FinishReadinessRead(read) : FinishDataRead(read, buffer);
        if (go) PumpReads();
    }

    private bool FinishReadinessRead(ValueTask<int> read)
    {
        try
        {
            read.GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e)
        {
            ReadFailed(e);
            return false;
        }
    }

    private bool FinishDataRead(ValueTask<int> read, byte[] buffer)
    {
        int count;
        try
        {
            count = read.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ReadFailed(e);
            return false;
        }
        if (count == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            EndOfPlaintext();
            return false;
        }
        if (!_aborted && !_failed)
        {
            try
            {
                _app.DataReceived(buffer.AsSpan(0, count));
            }
            catch (Exception e)
            {
                ApplicationFailed(e);
            }
        }
        ArrayPool<byte>.Shared.Return(buffer);
        return !_failed;
    }

    /// <summary>
    /// SslStream has no more plaintext. Before the transport's own end of stream, that means the
    /// peer sent close_notify: a half-closeable application is told, any other is closed (with
    /// our close_notify in reply). After it, the peer just closed the transport.
    /// </summary>
    private void EndOfPlaintext()
    {
        _readsFinished = true;
        if (Unwrapping && !_cipher.EndOfStreamReturned && !_lost)
        {
            UnwrapNotifyReceived();
            return;
        }
        if (_cipher.EndOfStreamReturned)
        {
            if (_underlyingGone)
            {
                CompleteLoss();
                return;
            }
            if (_aborted) return;
            if (!_disconnecting)
            {
                _reason ??= new Failure(new ConnectionLost("The peer closed the connection without a TLS close_notify; data may have been truncated."));
            }
            CloseUnderlying();
            return;
        }
        _closeNotifyReceived = true;
        // Bytes that came behind the close_notify are meaningless: drop them, and keep the
        // transport reading so the peer's FIN is still seen.
        _cipher.Discard();
        SyncUnderlyingReading();
        if (_disconnecting)
        {
            // Our close_notify went first: the exchange is complete. (If ours is still waiting
            // behind held writes, the flush sends it and then closes.)
            if (_closeNotifySent) CloseUnderlying();
        }
        else if (_app is IHalfCloseableProtocol halfCloseable)
        {
            try
            {
                halfCloseable.ReadConnectionLost();
            }
            catch (Exception e)
            {
                ApplicationFailed(e);
            }
        }
        else
        {
            LoseConnection();
        }
        if (_underlyingGone) CompleteLoss();
    }

    private void ReadFailed(Exception e)
    {
        _readsFinished = true;
        if (_underlyingGone)
        {
            CompleteLoss();
            return;
        }
        if (_aborted || _lost) return;
        if (_disconnecting)
        {
            CloseUnderlying();
            return;
        }
        _failed = true;
        _held.Clear();
        Exception error = _cipher.EndOfStreamReturned && e is IOException
            ? new ConnectionLost($"The peer closed the connection in the middle of a TLS record: {e.Message}", e)
            : new TlsError(TlsErrorKind.ProtocolError, $"TLS connection failed: {e.Message}", e);
        _reason ??= new Failure(error);
        CloseUnderlying();
    }

    private void ReturnReadBuffer()
    {
        // Only reachable when the connection is torn down with a read still pending.
        if (_readBuffer is null || _readPending) return;
        ArrayPool<byte>.Shared.Return(_readBuffer);
        _readBuffer = null;
    }
}
