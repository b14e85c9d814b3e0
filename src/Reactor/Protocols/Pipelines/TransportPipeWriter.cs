using System.IO.Pipelines;
using System.Threading.Tasks.Sources;

namespace Reactor.Protocols.Pipelines;

/// <summary>
/// The output half of a <see cref="TransportDuplexPipe"/>: a <see cref="PipeWriter"/> whose
/// flushed bytes go to <see cref="IConsumer.Write"/>. It registers as the transport's
/// streaming producer, so <see cref="FlushAsync"/> completes only while the transport is not
/// holding it paused (its send buffer is under the high-water mark).
/// </summary>
internal sealed class TransportPipeWriter : PipeWriter, IPushProducer, IValueTaskSource<FlushResult>
{
    private readonly ITransport _transport;
    private readonly PipeScheduler _scheduler;
    private readonly Action<object?> _completeFlush;
    private ManualResetValueTaskSourceCore<FlushResult> _flush;
    private byte[] _buffer = new byte[4096];
    private int _written;
    private bool _paused;
    private bool _flushPending;
    private bool _canceled;
    private bool _completed;
    private bool _closed;

    private readonly Action<Exception?> _onCompleted;

    public TransportPipeWriter(ITransport transport, PipeScheduler scheduler, Action<Exception?> completed)
    {
        _transport = transport;
        _scheduler = scheduler;
        _onCompleted = completed;
        _completeFlush = static state => ((TransportPipeWriter)state!).CompletePendingFlush();
    }

    /// <summary>True while the transport holds this writer paused.</summary>
    public bool Paused => _paused;

    /// <inheritdoc/>
    public override bool CanGetUnflushedBytes => true;

    /// <inheritdoc/>
    public override long UnflushedBytes => _written;

    /// <inheritdoc/>
    public override void Advance(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > _buffer.Length - _written) throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory returned by GetMemory/GetSpan.");
        _written += bytes;
    }

    /// <inheritdoc/>
    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        // Reserve first: it may replace _buffer, and the memory must come from the new one.
        var start = Reserve(sizeHint);
        return _buffer.AsMemory(start);
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        var start = Reserve(sizeHint);
        return _buffer.AsSpan(start);
    }

    /// <inheritdoc/>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_completed) throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
        if (_flushPending) throw new InvalidOperationException("A previous FlushAsync is still pending.");
        WriteOut();
        if (_closed) return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
        if (_canceled)
        {
            _canceled = false;
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: true, isCompleted: false));
        }
        if (!_paused) return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
        _flush.Reset();
        _flushPending = true;
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.UnsafeRegister(static s => ((TransportPipeWriter)s!).CancelPendingFlush(), this);
        }
        return new ValueTask<FlushResult>(this, _flush.Version);
    }

    /// <inheritdoc/>
    public override void CancelPendingFlush()
    {
        _canceled = true;
        if (_flushPending) _scheduler.Schedule(_completeFlush, this);
    }

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null)
    {
        if (_completed) return;
        WriteOut();
        _completed = true;
        _onCompleted(exception);
    }

    /// <summary>The connection is gone: nothing more can be sent; a pending flush completes with IsCompleted.</summary>
    public void Close()
    {
        _closed = true;
        _written = 0;
        if (_flushPending) _scheduler.Schedule(_completeFlush, this);
    }

    void IPushProducer.PauseProducing() => _paused = true;

    void IPushProducer.ResumeProducing()
    {
        _paused = false;
        // Not inline: the transport calls this from inside its own write path.
        if (_flushPending) _scheduler.Schedule(_completeFlush, this);
    }

    void IProducer.StopProducing() => Close();

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _flush.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _flush.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _flush.OnCompleted(continuation, state, token, flags);

    private void CompletePendingFlush()
    {
        if (!_flushPending) return;
        if (_paused && !_canceled && !_closed) return;
        _flushPending = false;
        var result = new FlushResult(isCanceled: _canceled && !_closed, isCompleted: _closed);
        _canceled = false;
        _flush.SetResult(result);
    }

    private void WriteOut()
    {
        if (_written == 0) return;
        if (!_closed) _transport.Write(_buffer.AsSpan(0, _written));
        _written = 0;
    }

    private int Reserve(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var bigger = new byte[Math.Max(needed, _buffer.Length * 2)];
            _buffer.AsSpan(0, _written).CopyTo(bigger);
            _buffer = bigger;
        }
        return _written;
    }
}
