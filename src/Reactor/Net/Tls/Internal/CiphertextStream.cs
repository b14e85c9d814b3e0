using System.Threading.Tasks.Sources;
using Reactor.Buffers;

namespace Reactor.Net.Tls.Internal;

/// <summary>Where the TLS engine's outgoing records go: the transport under the TLS layer.</summary>
internal interface ICiphertextSink
{
    /// <summary>Sends <paramref name="ciphertext"/> to the peer; the bytes are copied before this returns.</summary>
    void WriteCiphertext(ReadOnlySpan<byte> ciphertext);
}

/// <summary>
/// The in-memory duplex stream an <see cref="System.Net.Security.SslStream"/> runs over, in place
/// of a socket: ciphertext the transport received is <see cref="Feed"/>-ed in, and whatever
/// <c>SslStream</c> writes goes straight to the <see cref="ICiphertextSink"/>.
/// </summary>
/// <remarks>
/// Reads never block: with nothing queued, <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>
/// returns a pending <see cref="ValueTask{TResult}"/> backed by this object (no allocation), which
/// <see cref="Feed"/> or <see cref="FeedEndOfStream"/> completes. Its continuation runs inline, on
/// the thread that feeds — the reactor thread — so SslStream's decryption and the TLS layer's
/// callbacks stay on the loop (RunContinuationsAsynchronously is deliberately false). Writes
/// complete synchronously. The lock only matters if a continuation ever escapes to another thread.
/// </remarks>
internal sealed class CiphertextStream : System.IO.Stream, IValueTaskSource<int>
{
    private readonly ICiphertextSink _sink;
    private readonly ByteQueue _inbound = new();
    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<int> _pendingRead; // RunContinuationsAsynchronously = false
    private Memory<byte> _pendingBuffer;
    private bool _readPending;
    private bool _endOfStream;
    private bool _endOfStreamReturned;
    private readonly TlsRecordBoundary _records = new();

    public CiphertextStream(ICiphertextSink sink) => _sink = sink;

    /// <summary>Ciphertext received but not yet taken by the TLS engine.</summary>
    public int BufferedBytes
    {
        get
        {
            lock (_gate) return _inbound.Length;
        }
    }

    /// <summary>
    /// True once a read has returned end of stream. When SslStream reports the end of the
    /// plaintext before this, the peer sent close_notify; after it, the transport just closed.
    /// </summary>
    public bool EndOfStreamReturned
    {
        get
        {
            lock (_gate) return _endOfStreamReturned;
        }
    }

    /// <summary>True when the TLS engine is waiting for ciphertext.</summary>
    public bool ReadPending
    {
        get
        {
            lock (_gate) return _readPending;
        }
    }

    /// <summary>
    /// When set (by StopTls), each read returns bytes of one TLS record at most, so SslStream never
    /// takes in what follows the peer's close_notify: the peer's plaintext stays queued here.
    /// </summary>
    public bool LimitToRecords
    {
        get
        {
            lock (_gate) return _records.Limiting;
        }
        set
        {
            lock (_gate) _records.Limiting = value;
        }
    }

    /// <summary>Takes every byte still queued (after an unwrap: the peer's first plaintext).</summary>
    public byte[] TakeQueued()
    {
        lock (_gate)
        {
            var rest = _inbound.Span.ToArray();
            _inbound.Clear();
            return rest;
        }
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException("A TLS transport stream has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("A TLS transport stream cannot seek.");
        set => throw new NotSupportedException("A TLS transport stream cannot seek.");
    }

    /// <summary>
    /// Hands ciphertext received from the peer to the TLS engine. If it is waiting for a read, the
    /// read completes now and its continuation (decryption, and whatever that triggers) runs
    /// before this returns; the rest is queued.
    /// </summary>
    public void Feed(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.IsEmpty) return;
        int delivered;
        lock (_gate)
        {
            if (!_readPending)
            {
                _inbound.Append(ciphertext);
                return;
            }
            // Nothing is queued while a read is pending, so the bytes go straight into its buffer.
            delivered = _records.Limit(Math.Min(_pendingBuffer.Length, ciphertext.Length));
            ciphertext[..delivered].CopyTo(_pendingBuffer.Span);
            _records.Advance(ciphertext[..delivered]);
            _inbound.Append(ciphertext[delivered..]);
            _readPending = false;
            _pendingBuffer = default;
        }
        // A zero-byte read completes with 0 once data is queued: it only asked to be told.
        _pendingRead.SetResult(delivered);
    }

    /// <summary>The peer will send nothing more: reads return 0 once the queue is empty.</summary>
    public void FeedEndOfStream()
    {
        lock (_gate)
        {
            if (_endOfStream) return;
            _endOfStream = true;
            if (!_readPending) return;
            _readPending = false;
            _pendingBuffer = default;
            _endOfStreamReturned = true;
        }
        _pendingRead.SetResult(0);
    }

    /// <summary>Drops the ciphertext received and not yet read (what the peer sent after its close_notify).</summary>
    public void Discard()
    {
        lock (_gate) _inbound.Clear();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_readPending) throw new InvalidOperationException("The TLS engine issued two reads at once.");
            if (!_inbound.IsEmpty)
            {
                var span = buffer.Span[.._records.Limit(buffer.Length)];
                var taken = _inbound.Dequeue(span);
                _records.Advance(span[..taken]);
                return new ValueTask<int>(taken);
            }
            if (_endOfStream)
            {
                _endOfStreamReturned = true;
                return new ValueTask<int>(0);
            }
            _readPending = true;
            _pendingBuffer = buffer;
            _pendingRead.Reset();
            return new ValueTask<int>(this, _pendingRead.Version);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Synchronous reads would block the reactor thread; the TLS layer reads asynchronously.");

    public override void Write(ReadOnlySpan<byte> buffer) => _sink.WriteCiphertext(buffer);

    public override void Write(byte[] buffer, int offset, int count) => _sink.WriteCiphertext(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _sink.WriteCiphertext(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _sink.WriteCiphertext(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A TLS transport stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A TLS transport stream has no length.");

    int IValueTaskSource<int>.GetResult(short token) => _pendingRead.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _pendingRead.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pendingRead.OnCompleted(continuation, state, token, flags);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate) _inbound.Clear();
        }
        base.Dispose(disposing);
    }
}
