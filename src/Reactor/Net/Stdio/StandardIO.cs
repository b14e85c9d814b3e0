using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Processes.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stdio;

/// <summary>
/// This process's own standard input and output as a transport driving a protocol on the reactor
/// (Twisted's <c>stdio.StandardIO</c>): bytes on stdin arrive in <c>DataReceived</c>, writes go to
/// stdout with producers and water marks as on a socket.
/// </summary>
/// <remarks>
/// <para>
/// Pipes and terminals are watched by the selector. A regular file or <c>/dev/null</c> on stdin
/// cannot be (epoll refuses them with EPERM: they are always ready), so they are read one buffer
/// per loop iteration instead; <c>/dev/null</c> gives end-of-file at once. A regular file or
/// <c>/dev/null</c> on stdout takes every write at once.
/// </para>
/// <para>
/// End of stdin: an <see cref="IHalfCloseableProtocol"/> hears <c>ReadConnectionLost</c> and may
/// keep writing; any other protocol has the connection closed (after pending output), as Twisted.
/// The protocol hears <c>ConnectionLost</c> once both directions are closed.
/// </para>
/// <para>
/// The descriptors are used through close-on-exec copies, so 0 and 1 stay open for the rest of
/// the program. O_NONBLOCK is a property of the open file, shared with every copy and with any
/// other process using it (a shell's terminal), so the original flags are put back when the
/// transport closes (Twisted leaves them non-blocking). Threading: reactor thread only.
/// </para>
/// </remarks>
public sealed class StandardIO : IStreamTransport, IWriteBuffer, IDisposable, IPipeOwner, IFlushable
{
    private const int InputFd = 0;
    private const int OutputFd = 1;

    private readonly ReactorLoop _reactor;
    private readonly IProtocol _protocol;
    private readonly ProcessReader _reader;
    private readonly ProcessWriter _writer;
    private readonly List<(int Fd, int Flags)> _savedFlags = new();
    private readonly int _stdin;
    private readonly int _stdout;
    private bool _readClosed;
    private bool _writeClosed;
    private bool _disconnecting;
    private bool _aborted;
    private bool _closeReaderRequested;
    private bool _flushRequested;
    private bool _lost;

    /// <summary>
    /// Connects <paramref name="protocol"/> to this process's <paramref name="stdin"/> and
    /// <paramref name="stdout"/> descriptors (0 and 1 unless told otherwise, as Twisted's) and calls
    /// its <c>MakeConnection</c>.
    /// </summary>
    /// <exception cref="IOException">A descriptor is not open.</exception>
    public StandardIO(IProtocol protocol, ReactorLoop reactor, int stdin = 0, int stdout = 1)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(reactor);
        _reactor = reactor;
        _protocol = protocol;
        _stdin = stdin;
        _stdout = stdout;
        ITransportHost host = reactor;
        var inCopy = Prepare(host, stdin, "stdin");
        int outCopy;
        try
        {
            outCopy = Prepare(host, stdout, "stdout");
        }
        catch
        {
            host.Syscalls.Close(inCopy, out _);
            RestoreFlags(host);
            throw;
        }
        // Only a write-only end (a pipe) can be watched for its reader going away; a terminal
        // opened read-write would report every keystroke as "readable".
        var accessMode = host.Syscalls.Fcntl(outCopy, NativeConstants.F_GETFL, 0, out _) & 3;
        _writer = new ProcessWriter(host, this, outCopy, OutputFd, watchForClose: accessMode == 1);
        _reader = new ProcessReader(host, this, inCopy, InputFd);
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            _reactor.LogUserCodeFailure(ex, "MakeConnection");
            AbortConnection();
        }
    }

    private int Prepare(ITransportHost host, int fd, string name)
    {
        var flags = host.Syscalls.Fcntl(fd, NativeConstants.F_GETFL, 0, out var errno);
        if (flags < 0) throw errno.ToIOException($"Using {name} (descriptor {fd})");
        var copy = LibcProcessSyscalls.Instance.DuplicateAbove(fd, 3, out errno);
        if (copy < 0) throw errno.ToIOException($"Copying {name} (descriptor {fd})");
        _savedFlags.Add((fd, flags));
        host.Syscalls.SetNonBlocking(copy, true, out _);
        return copy;
    }

    private void RestoreFlags(ITransportHost host)
    {
        foreach (var (fd, flags) in _savedFlags) host.Syscalls.Fcntl(fd, NativeConstants.F_SETFL, flags, out _);
        _savedFlags.Clear();
    }

    /// <inheritdoc/>
    public bool Disconnecting => _disconnecting || _aborted;

    /// <summary>True until both directions are closed.</summary>
    public bool Connected => !_lost;

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_disconnecting || _aborted) return;
        _writer.Write(data);
    }

    /// <inheritdoc/>
    public void WriteSequence(ReadOnlySequence<byte> data)
    {
        foreach (var segment in data) Write(segment.Span);
    }

    /// <inheritdoc/>
    public void RegisterProducer(IProducer producer, bool streaming) => _writer.RegisterProducer(producer, streaming);

    /// <inheritdoc/>
    public void UnregisterProducer() => _writer.UnregisterProducer();

    /// <inheritdoc/>
    public long PendingBytes => _writer.PendingBytes;

    /// <inheritdoc/>
    public long HighWaterMark
    {
        get => _writer.HighWaterMark;
        set => _writer.HighWaterMark = value;
    }

    /// <inheritdoc/>
    public long LowWaterMark
    {
        get => _writer.LowWaterMark;
        set => _writer.LowWaterMark = value;
    }

    /// <summary>Stops reading stdin (the transport as a push producer).</summary>
    public void PauseProducing() => _reader.Pause();

    /// <summary>Reads stdin again.</summary>
    public void ResumeProducing()
    {
        if (!_disconnecting && !_aborted) _reader.Resume();
    }

    /// <inheritdoc/>
    public void StopProducing() => LoseConnection();

    /// <summary>Stops reading, writes what is pending to stdout, then closes both (our copies: 0 and 1 stay open).</summary>
    public void LoseConnection()
    {
        if (_disconnecting || _aborted || _lost) return;
        _disconnecting = true;
        _writer.CloseWhenDrained();
        RequestReaderClose();
    }

    /// <summary>Closes stdout once pending output is written; reading stdin goes on.</summary>
    public void LoseWriteConnection() => _writer.CloseWhenDrained();

    /// <summary>Drops pending output and closes both at once; the protocol sees <see cref="ConnectionAborted"/>.</summary>
    public void AbortConnection()
    {
        if (_aborted || _lost) return;
        _aborted = true;
        _writer.Close();
        RequestReaderClose();
    }

    /// <summary>Aborts the transport if it is still open.</summary>
    public void Dispose() => AbortConnection();

    /// <inheritdoc/>
    public EndPoint GetPeer() => PipeAddress.Instance;

    /// <inheritdoc/>
    public EndPoint GetHost() => PipeAddress.Instance;

    void IPipeOwner.DataReceived(int childFd, ReadOnlySpan<byte> data)
    {
        if (_disconnecting || _aborted) return;
        try
        {
            _protocol.DataReceived(data);
        }
        catch (Exception ex)
        {
            NetLog.StandardIOProtocolFailed(_reactor.Logger, ex, _protocol.GetType().FullName);
            AbortConnection();
        }
    }

    void IPipeOwner.PipeClosed(int childFd)
    {
        if (childFd == InputFd)
        {
            _readClosed = true;
            if (!_disconnecting && !_aborted && !_writeClosed)
            {
                if (_protocol is IHalfCloseableProtocol halfCloseable)
                {
                    _reactor.RunUserCode(halfCloseable.ReadConnectionLost, "ReadConnectionLost");
                }
                else
                {
                    LoseConnection();
                }
            }
        }
        else
        {
            _writeClosed = true;
            if (!_disconnecting && !_aborted && _protocol is IHalfCloseableProtocol halfCloseable)
            {
                _reactor.RunUserCode(halfCloseable.WriteConnectionLost, "WriteConnectionLost");
            }
            else
            {
                RequestReaderClose();
            }
        }
        if (_readClosed && _writeClosed && !_lost)
        {
            _lost = true;
            RestoreFlags(_reactor);
            Exception reason = _aborted ? new ConnectionAborted() : new ConnectionDone();
            _reactor.RunUserCode(() => _protocol.ConnectionLost(new Failure(reason)), "ConnectionLost");
        }
    }

    /// <inheritdoc/>
    bool IPipeOwner.RunUserCode(Action action, string what) => _reactor.RunUserCode(action, what);

    void IFlushable.FlushPending()
    {
        _flushRequested = false;
        if (_closeReaderRequested)
        {
            _closeReaderRequested = false;
            _reader.Close();
        }
    }

    private void RequestReaderClose()
    {
        if (_readClosed || _closeReaderRequested) return;
        _closeReaderRequested = true;
        // Closed from the loop, so the protocol never hears of it inside its own call.
        _reader.Pause();
        if (_flushRequested) return;
        _flushRequested = true;
        // A zero-delay call rather than the loop's end-of-iteration flush: a request made while the
        // loop is flushing before it waits would only be served after the wait, and nothing may
        // wake it (a paused stdin, an idle child).
        _reactor.CallLater(TimeSpan.Zero, ((IFlushable)this).FlushPending);
    }

    /// <inheritdoc/>
    public override string ToString() => $"StandardIO(stdin {_stdin}, stdout {_stdout})";
}
