using System.Buffers;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Buffers;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Time;
using Reactor.Net.Internal;

namespace Reactor.Net.Tls.Internal;

/// <summary>Writes, close_notify, half-close and abort.</summary>
internal sealed partial class TlsLayer
{
    /// <summary>Plaintext handed to SslStream per call; it cuts it into 16 KiB records itself.</summary>
    private const int WriteChunkSize = 64 * 1024;

    private readonly ByteQueue _held = new();
    private readonly Action _writeContinuation;
    private readonly Action _shutdownContinuation;
    private ValueTask _pendingWrite;
    private byte[]? _writeBuffer;
    private Task? _shutdown;
    private bool _writePending;
    private bool _disconnecting;
    private bool _holdingForClose;
    private bool _writeShutdownRequested;
    private bool _closeNotifySent;
    private bool _aborted;
    private bool _underlyingClosing;
    private IDelayedCall? _closeNotifyWait;

    /// <summary>
    /// How long <see cref="LoseConnection"/> waits for the peer's close_notify after sending ours
    /// before closing the transport anyway: the reactor's <c>ReactorOptions.TlsCloseNotifyTimeout</c>
    /// (the default where the clock is not a reactor, as in tests).
    /// </summary>
    internal TimeSpan CloseNotifyTimeout =>
        (_clock as ITransportHost)?.Limits.TlsCloseNotifyTimeout ?? ReactorOptions.DefaultTlsCloseNotifyTimeout;

    private bool AcceptsWrites => _underlying is not null && !_disconnecting && !_writeShutdownRequested && !_aborted && !_lost && !_failed;

    /// <summary>
    /// Encrypts and sends <paramref name="data"/>; held in order until the handshake completes.
    /// Dropped after <see cref="LoseConnection"/>, as on every transport.
    /// </summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        ReactorThreadGuard.Check(_clock, nameof(Write));
        if (_plain)
        {
            DownWrite(data);
            return;
        }
        if (Unwrapping) throw new InvalidOperationException("TLS is being stopped: write once StopTls's Deferred has fired (the bytes then go in plaintext).");
        if (data.IsEmpty || !AcceptsWrites) return;
        using var scope = LoopContextScope.Enter();
        if (!_handshakeDone || _writePending || !_held.IsEmpty)
        {
            Hold(data);
            return;
        }
        while (!data.IsEmpty)
        {
            if (_writePending)
            {
                Hold(data);
                return;
            }
            var chunk = data[..Math.Min(data.Length, WriteChunkSize)];
            if (!EncryptChunk(chunk)) return;
            data = data[chunk.Length..];
        }
    }

    /// <summary>Writes every segment of <paramref name="data"/>, in order.</summary>
    public void WriteSequence(ReadOnlySequence<byte> data)
    {
        ReactorThreadGuard.Check(_clock, nameof(WriteSequence));
        foreach (var segment in data) Write(segment.Span);
    }

    /// <summary>
    /// Sends close_notify once every pending write has gone out, then closes the transport
    /// underneath (which flushes it first). Before the handshake, with nothing written, the
    /// transport is simply closed.
    /// </summary>
    public void LoseConnection()
    {
        ReactorThreadGuard.Check(_clock, nameof(LoseConnection));
        if (_plain)
        {
            DownLoseConnection();
            return;
        }
        if (_disconnecting || _aborted || _lost || _underlying is null) return;
        _disconnecting = true;
        using var scope = LoopContextScope.Enter();
        if (_underlyingGone)
        {
            // Gone while the application was paused: nothing left to send, report it now.
            CompleteLoss();
            return;
        }
        if (_failed) return;
        if (!_handshakeDone)
        {
            if (_held.IsEmpty) CloseUnderlying();
            else _holdingForClose = true; // the handshake's completion flushes, then shuts down
            return;
        }
        if (_held.IsEmpty && !_writePending) ShutdownTls();
    }

    /// <summary>
    /// Half-close: once pending writes are out, sends close_notify and shuts the transport's
    /// write side, keeping the read side open (TLS 1.3 allows the peer to go on sending).
    /// </summary>
    public void LoseWriteConnection()
    {
        ReactorThreadGuard.Check(_clock, nameof(LoseWriteConnection));
        if (_plain)
        {
            DownLoseWriteConnection();
            return;
        }
        if (_writeShutdownRequested || _disconnecting || _aborted || _lost || _underlying is null) return;
        _writeShutdownRequested = true;
        using var scope = LoopContextScope.Enter();
        if (_failed) return;
        if (!_handshakeDone)
        {
            if (_held.IsEmpty) DownLoseWriteConnection();
            return;
        }
        if (_held.IsEmpty && !_writePending) ShutdownTls();
    }

    /// <summary>Closes at once: no close_notify, pending writes dropped; the application sees <see cref="ConnectionAborted"/>.</summary>
    public void AbortConnection()
    {
        ReactorThreadGuard.Check(_clock, nameof(AbortConnection));
        if (_plain)
        {
            DownAbortConnection();
            return;
        }
        if (_aborted || _lost || _underlying is null) return;
        _aborted = true;
        _readsFinished = true;
        _held.Clear();
        if (_underlyingGone) CompleteLoss();
        else DownAbortConnection();
    }

    private void Hold(ReadOnlySpan<byte> data)
    {
        _held.Append(data);
        _producer?.SetHeldByTls(true);
    }

    /// <summary>Hands one chunk to SslStream; false when the connection failed.</summary>
    private bool EncryptChunk(ReadOnlySpan<byte> chunk)
    {
        // SslStream wants memory that outlives the call should the write not complete at once.
        var buffer = ArrayPool<byte>.Shared.Rent(chunk.Length);
        chunk.CopyTo(buffer);
        ValueTask write;
        try
        {
            write = _ssl.WriteAsync(buffer.AsMemory(0, chunk.Length));
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            WriteFailed(e);
            return false;
        }
        if (!write.IsCompleted)
        {
            _writePending = true;
            _pendingWrite = write;
            _writeBuffer = buffer;
            write.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_writeContinuation);
            return true;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        try
        {
            write.GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e)
        {
            WriteFailed(e);
            return false;
        }
    }

    private void OnWriteCompleted()
    {
        var write = _pendingWrite;
        var buffer = _writeBuffer!;
        _pendingWrite = default;
        _writeBuffer = null;
        _writePending = false;
        try
        {
            write.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            WriteFailed(e);
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        FlushHeld();
    }

    /// <summary>
    /// Sends what was held (during the handshake, or behind a write SslStream did not finish at
    /// once); when all is out, lets a paused producer go and finishes a requested close.
    /// </summary>
    private void FlushHeld()
    {
        while (!_held.IsEmpty && !_writePending)
        {
            var chunk = _held.Span[..Math.Min(_held.Length, WriteChunkSize)];
            var length = chunk.Length;
            if (!EncryptChunk(chunk)) return;
            _held.Consume(length);
        }
        if (_writePending || _failed || _aborted) return;
        _producer?.SetHeldByTls(false);
        if (_disconnecting || _writeShutdownRequested || Unwrapping) ShutdownTls();
    }

    /// <summary>Sends close_notify, then closes the transport (or only its write side).</summary>
    private void ShutdownTls()
    {
        if (_closeNotifySent)
        {
            FinishShutdown();
            return;
        }
        _closeNotifySent = true;
        Task shutdown;
        try
        {
            shutdown = _ssl.ShutdownAsync();
        }
        catch (Exception e)
        {
            NetLog.TlsCloseNotifyFailed(_logger, e);
            FinishShutdown();
            return;
        }
        _shutdown = shutdown;
        if (shutdown.IsCompleted) OnShutdownCompleted();
        else shutdown.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_shutdownContinuation);
    }

    private void OnShutdownCompleted()
    {
        var shutdown = _shutdown!;
        _shutdown = null;
        if (shutdown.IsFaulted) NetLog.TlsCloseNotifyFailed(_logger, shutdown.Exception);
        FinishShutdown();
    }

    private void FinishShutdown()
    {
        if (Unwrapping)
        {
            UnwrapNotifySent();
            return;
        }
        if (_disconnecting)
        {
            // Both close_notify sent and received (or the peer is gone): close now. Otherwise
            // wait, reading, for the peer's close_notify, but not forever.
            if (_closeNotifyReceived || _readsFinished || _underlyingGone || !_handshakeDone) CloseUnderlying();
            else if (TransportLimits.IsFinite(CloseNotifyTimeout)) _closeNotifyWait = _clock.CallLater(CloseNotifyTimeout, _closeNotifyTimedOut);
        }
        else if (_writeShutdownRequested && !_underlyingGone && !_aborted)
        {
            DownLoseWriteConnection();
        }
    }

    private void WriteFailed(Exception e)
    {
        if (_aborted || _lost) return;
        _failed = true;
        _held.Clear();
        _reason ??= new Failure(new TlsError(TlsErrorKind.ProtocolError, $"TLS write failed: {e.Message}", e));
        CloseUnderlying();
    }

    /// <summary>Closes the transport underneath cleanly: it sends what it holds (an alert, close_notify) first.</summary>
    private void CloseUnderlying()
    {
        if (_closeNotifyWait is { Active: true } wait) wait.Cancel();
        _closeNotifyWait = null;
        if (_underlyingClosing || _underlyingGone || _aborted || _underlying is null) return;
        _underlyingClosing = true;
        DownLoseConnection();
    }
}
