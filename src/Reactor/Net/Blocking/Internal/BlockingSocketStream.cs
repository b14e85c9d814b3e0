using Reactor.Errors;

namespace Reactor.Net.Blocking.Internal;

/// <summary>
/// The worker-thread half of a blocking connection: a <see cref="Stream"/> whose reads wait for
/// bytes the reactor thread buffered and whose writes are handed to the reactor thread with
/// <c>CallFromThread</c>, waiting while too much is in flight or the transport is full.
/// </summary>
internal sealed class BlockingSocketStream : System.IO.Stream
{
    private readonly object _gate = new();
    private readonly BlockingStreamProtocol _owner;
    private readonly int _inputLimit;
    private readonly int _outputLimit;
    private readonly Queue<byte[]> _input = new();
    private int _inputOffset;
    private long _buffered;
    private bool _readPaused;
    private bool _endOfInput;
    private Exception? _lost;
    private long _inFlight;
    private bool _writePaused;
    private bool _disposed;

    public BlockingSocketStream(BlockingStreamProtocol owner, BlockingHandlerOptions options)
    {
        _owner = owner;
        _inputLimit = options.InputLimit;
        _outputLimit = options.OutputLimit;
    }

    /// <summary>The most bytes ever buffered for reading (for tests and metrics).</summary>
    public long PeakBuffered { get; private set; }

    /// <summary>The most bytes ever in flight to the reactor thread.</summary>
    public long PeakInFlight { get; private set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    // ---- reactor thread ----

    /// <summary>Bytes arrived; true when the transport should stop reading.</summary>
    public bool Received(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            _input.Enqueue(data.ToArray());
            _buffered += data.Length;
            PeakBuffered = Math.Max(PeakBuffered, _buffered);
            Monitor.PulseAll(_gate);
            if (_buffered < _inputLimit) return false;
            _readPaused = true;
            return true;
        }
    }

    public void EndOfInput()
    {
        lock (_gate)
        {
            _endOfInput = true;
            Monitor.PulseAll(_gate);
        }
    }

    public void Lost(Exception reason)
    {
        lock (_gate)
        {
            _lost ??= reason;
            _endOfInput = true;
            Monitor.PulseAll(_gate);
        }
    }

    public void MarkRefused() => Lost(new ConnectionRefusedError("All workers were busy."));

    public void SetWritePaused(bool paused)
    {
        lock (_gate)
        {
            _writePaused = paused;
            Monitor.PulseAll(_gate);
        }
    }

    public void Taken(int length)
    {
        lock (_gate)
        {
            _inFlight -= length;
            Monitor.PulseAll(_gate);
        }
    }

    // ---- worker thread ----

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        bool resume = false;
        int copied = 0;
        lock (_gate)
        {
            while (_input.Count == 0 && !_endOfInput) Monitor.Wait(_gate);
            while (copied < buffer.Length && _input.Count > 0)
            {
                var head = _input.Peek();
                var n = Math.Min(buffer.Length - copied, head.Length - _inputOffset);
                head.AsSpan(_inputOffset, n).CopyTo(buffer[copied..]);
                copied += n;
                _inputOffset += n;
                if (_inputOffset == head.Length)
                {
                    _input.Dequeue();
                    _inputOffset = 0;
                }
            }
            _buffered -= copied;
            if (_readPaused && _buffered <= _inputLimit / 2 && _lost is null)
            {
                _readPaused = false;
                resume = true;
            }
        }
        if (resume) _owner.Reactor.CallFromThread(_owner.ResumeReading);
        return copied;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            var length = Math.Min(buffer.Length, _outputLimit);
            lock (_gate)
            {
                while (_lost is null && (_writePaused || (_inFlight > 0 && _inFlight + length > _outputLimit))) Monitor.Wait(_gate);
                if (_lost is not null) throw new IOException("The connection is closed.", _lost);
                _inFlight += length;
                PeakInFlight = Math.Max(PeakInFlight, _inFlight);
            }
            var chunk = buffer[..length].ToArray();
            _owner.Reactor.CallFromThread(() => _owner.WriteChunk(chunk, chunk.Length));
            buffer = buffer[length..];
        }
    }

    /// <summary>Waits until the reactor thread has taken everything written.</summary>
    public override void Flush()
    {
        lock (_gate)
        {
            while (_inFlight > 0 && _lost is null) Monitor.Wait(_gate);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        // Queued after every write of this stream, so the close follows them.
        try
        {
            _owner.Reactor.CallFromThread(_owner.Close);
        }
        catch (ObjectDisposedException)
        {
            // The reactor is gone, and the connection with it.
        }
        base.Dispose(disposing);
    }
}
