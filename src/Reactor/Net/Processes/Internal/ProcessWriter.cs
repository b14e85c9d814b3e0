using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Processes.Internal;

/// <summary>
/// Our end of a pipe the child reads (its stdin, or another descriptor mapped
/// <see cref="ChildFd.WriteToChild"/>), or of a terminal's master side (Twisted's <c>ProcessWriter</c>).
/// Writes go through a pooled output buffer with producers and water marks, as on a socket.
/// </summary>
/// <remarks>
/// It also watches for the child closing its end: registered for readability (which a write end
/// never reports otherwise), the kernel reports an error once no reader is left, so the closing is
/// noticed without having to write (Twisted's "read hack" on stdin).
/// </remarks>
internal sealed class ProcessWriter : IReadDescriptor, IWriteDescriptor, IFlushable, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    private readonly ITransportHost _host;
    private readonly IPipeOwner _owner;
    private readonly OutputBuffer _output = new();
    private bool _watchForClose;
    private int _fd;
    private bool _writing;
    private bool _closeRequested;
    private bool _flushRequested;
    private bool _closed;
    private Exception? _pendingError;

    private IProducer? _producer;
    private bool _streaming;
    private bool _producerPaused;
    private long _highWaterMark = IWriteBuffer.DefaultHighWaterMark;
    private long _lowWaterMark;

    /// <summary>
    /// Wraps our non-blocking end <paramref name="fd"/> of the child's descriptor <paramref name="childFd"/>;
    /// with <paramref name="watchForClose"/>, watches it for the reader going away (false when a
    /// reader shares the file: a terminal).
    /// </summary>
    public ProcessWriter(ITransportHost host, IPipeOwner owner, int fd, int childFd, bool watchForClose)
    {
        _host = host;
        _owner = owner;
        _fd = fd;
        ChildFd = childFd;
        _watchForClose = watchForClose;
        if (!watchForClose) return;
        try
        {
            host.AddReader(this);
        }
        catch (IOException ex) when (ex.HResult == Errno.EPERM.Value)
        {
            // A regular file or /dev/null (epoll refuses them): nobody can close its reading end.
            _watchForClose = false;
        }
    }

    /// <summary>The child's descriptor this pipe feeds.</summary>
    public int ChildFd { get; }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>True once closed.</summary>
    public bool Closed => _closed;

    /// <summary>Bytes written and not yet taken by the kernel.</summary>
    public long PendingBytes => _output.Length;

    /// <summary>See <see cref="IWriteBuffer.HighWaterMark"/>.</summary>
    public long HighWaterMark
    {
        get => _highWaterMark;
        set
        {
            if (value < 0 || value < _lowWaterMark) throw new ArgumentOutOfRangeException(nameof(HighWaterMark), value, $"The high-water mark must be at least 0 and at least the low-water mark ({_lowWaterMark}).");
            _highWaterMark = value;
        }
    }

    /// <summary>See <see cref="IWriteBuffer.LowWaterMark"/>.</summary>
    public long LowWaterMark
    {
        get => _lowWaterMark;
        set
        {
            if (value < 0 || value > _highWaterMark) throw new ArgumentOutOfRangeException(nameof(LowWaterMark), value, $"The low-water mark must be at least 0 and at most the high-water mark ({_highWaterMark}).");
            _lowWaterMark = value;
        }
    }

    /// <summary>
    /// Queues <paramref name="data"/> (copied). With nothing pending it goes straight to write(2)
    /// and only what the pipe refuses is kept. Dropped once a close was requested.
    /// </summary>
    public unsafe void Write(ReadOnlySpan<byte> data)
    {
        if (_closed || _closeRequested || _pendingError is not null || data.IsEmpty) return;
        if (_output.IsEmpty && !_writing)
        {
            nint written;
            Errno errno;
            fixed (byte* p = data)
            {
                do
                {
                    written = _host.Syscalls.Write(_fd, p, data.Length, out errno);
                }
                while (written < 0 && errno == Errno.EINTR);
            }
            if (written == data.Length) return;
            if (written < 0)
            {
                if (!errno.IsWouldBlock)
                {
                    // Reported from the loop: the caller may be inside a protocol callback.
                    _pendingError = new ConnectionLost($"Writing to the child's descriptor {ChildFd} failed: {errno}");
                    RequestFlush();
                    return;
                }
                written = 0;
            }
            _output.Append(data[(int)written..]);
            StartWriting();
        }
        else
        {
            _output.Append(data);
        }
        if (_producer is IPushProducer push && _streaming && !_producerPaused && _output.Length > _highWaterMark)
        {
            _producerPaused = true;
            push.PauseProducing();
        }
    }

    /// <summary>Closes once everything pending is written (the child then reads EOF).</summary>
    public void CloseWhenDrained()
    {
        if (_closed || _closeRequested) return;
        _closeRequested = true;
        RequestFlush();
    }

    /// <summary>Attaches a producer (see <see cref="IConsumer.RegisterProducer"/>).</summary>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (!ProducerRegistration.Admit(producer, streaming, _producer, _closed)) return;
        _producer = producer;
        _streaming = streaming;
        _producerPaused = false;
        if (!streaming) ((IPullProducer)producer).ResumeProducing();
    }

    /// <summary>Detaches the producer.</summary>
    public void UnregisterProducer()
    {
        _producer = null;
        _producerPaused = false;
    }

    /// <summary>Readable: the only thing a write end reports this way is that the child closed its end.</summary>
    public unsafe Exception? DoRead()
    {
        if (_closed) return null;
        var poll = new PollFd { Fd = _fd, Events = 0 };
        if (_host.Syscalls.Poll(&poll, 1, 0, out _) == 1 && (poll.REvents & (NativeConstants.POLLERR | NativeConstants.POLLHUP)) != 0)
        {
            Close();
        }
        return null;
    }

    /// <summary>Writable again: send what is pending.</summary>
    public Exception? DoWrite()
    {
        if (!_closed) Drain();
        return null;
    }

    /// <summary>End of the loop iteration: report an error found during a write, or finish a requested close.</summary>
    public void FlushPending()
    {
        _flushRequested = false;
        if (_closed) return;
        if (_pendingError is not null)
        {
            Close();
            return;
        }
        if (!_writing) Drain();
    }

    /// <summary>The reactor dropped the descriptor (a hang-up, or the reactor's shutdown).</summary>
    public void ConnectionLost(Failure reason) => Close();

    /// <summary>Closes now, dropping what is pending, and tells the owner once.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        if (_watchForClose) _host.RemoveReader(this);
        StopWriting();
        _output.Clear();
        _host.Syscalls.Close(_fd, out _);
        _fd = -1;
        var producer = _producer;
        _producer = null;
        if (producer is not null) _owner.RunUserCode(producer.StopProducing, "StopProducing");
        _owner.PipeClosed(ChildFd);
    }

    private void Drain()
    {
        var error = WritePending();
        if (error is not null)
        {
            Close();
            return;
        }
        if (_producer is not null && _output.Length <= _lowWaterMark && (!_streaming || _producerPaused))
        {
            _producerPaused = false;
            var producer = _producer;
            if (producer is IPushProducer push && _streaming) _owner.RunUserCode(push.ResumeProducing, "ResumeProducing");
            else _owner.RunUserCode(((IPullProducer)producer).ResumeProducing, "ResumeProducing");
            if (_closed) return;
        }
        if (!_output.IsEmpty)
        {
            StartWriting();
            return;
        }
        StopWriting();
        if (_closeRequested) Close();
    }

    private unsafe Exception? WritePending()
    {
        var vectors = stackalloc IoVec[OutputBuffer.MaxGather];
        while (!_output.IsEmpty)
        {
            var count = _output.Gather(new Span<IoVec>(vectors, OutputBuffer.MaxGather));
            nint requested = 0;
            for (var i = 0; i < count; i++) requested += (nint)vectors[i].Length;
            var written = _host.Syscalls.Writev(_fd, vectors, count, out var errno);
            if (written < 0)
            {
                if (errno.IsWouldBlock) return null;
                if (errno == Errno.EINTR) continue;
                return new ConnectionLost($"Writing to the child's descriptor {ChildFd} failed: {errno}");
            }
            _output.Consume(written);
            if (written < requested) return null;
        }
        return null;
    }

    private void StartWriting()
    {
        if (_writing || _closed) return;
        _writing = true;
        _host.AddWriter(this);
    }

    private void StopWriting()
    {
        if (!_writing) return;
        _writing = false;
        _host.RemoveWriter(this);
    }

    private void RequestFlush()
    {
        if (_flushRequested || _closed) return;
        _flushRequested = true;
        // A zero-delay call rather than the loop's end-of-iteration flush: a request made while the
        // loop is flushing before it waits would only be served after the wait, and nothing may
        // wake it (a paused stdin, an idle child).
        _host.CallLater(TimeSpan.Zero, FlushPending);
    }
}
