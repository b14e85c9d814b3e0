using Reactor.Core;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Time;
using Reactor.Core.Internal;

namespace Reactor.Net.Processes.Internal;

/// <summary>
/// Our end of a pipe the child writes (its stdout, stderr, or another descriptor mapped
/// <see cref="ChildFd.ReadFromChild"/>), or of a terminal's master side (Twisted's <c>ProcessReader</c>).
/// Reads into the reactor's shared buffer and hands each chunk to the owner.
/// </summary>
internal sealed class ProcessReader : IReadDescriptor, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    private readonly ITransportHost _host;
    private readonly IPipeOwner _owner;
    private int _fd;
    private bool _reading;
    private bool _paused;
    private bool _closed;
    private bool _stepped;
    private IDelayedCall? _step;

    /// <summary>Wraps our non-blocking end <paramref name="fd"/> of the child's descriptor <paramref name="childFd"/> and starts reading.</summary>
    public ProcessReader(ITransportHost host, IPipeOwner owner, int fd, int childFd)
    {
        _host = host;
        _owner = owner;
        _fd = fd;
        ChildFd = childFd;
        StartReading();
    }

    /// <summary>The child's descriptor this pipe carries.</summary>
    public int ChildFd { get; }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>True once closed.</summary>
    public bool Closed => _closed;

    /// <summary>One read(2); EOF, or EIO from a terminal whose last user went away, closes the pipe.</summary>
    public unsafe Exception? DoRead()
    {
        if (!_reading) return null;
        var buffer = _host.ReadBuffer;
        nint received;
        Errno errno;
        fixed (byte* p = buffer)
        {
            received = _host.Syscalls.Read(_fd, p, buffer.Length, out errno);
        }
        if (received > 0)
        {
            _owner.DataReceived(ChildFd, new ReadOnlySpan<byte>(buffer, 0, (int)received));
            return null;
        }
        if (received < 0 && (errno.IsWouldBlock || errno == Errno.EINTR)) return null;
        Close();
        return null;
    }

    /// <summary>Stops reading (the transport is paused).</summary>
    public void Pause()
    {
        _paused = true;
        StopReading();
    }

    /// <summary>Reads again after <see cref="Pause"/>.</summary>
    public void Resume()
    {
        _paused = false;
        StartReading();
    }

    /// <summary>The reactor dropped the descriptor (its shutdown).</summary>
    public void ConnectionLost(Failure reason) => Close();

    /// <summary>Closes now and tells the owner once.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        StopReading();
        _host.Syscalls.Close(_fd, out _);
        _fd = -1;
        _owner.PipeClosed(ChildFd);
    }

    private void StartReading()
    {
        if (_reading || _closed || _paused) return;
        _reading = true;
        if (_stepped)
        {
            ScheduleStep();
            return;
        }
        try
        {
            _host.AddReader(this);
        }
        catch (IOException ex) when (ex.HResult == Errno.EPERM.Value)
        {
            // epoll refuses a regular file and /dev/null (EPERM: they have no readiness to wait
            // for; they are always ready). Read them one buffer per loop iteration instead, so a
            // large file never starves the other descriptors.
            _stepped = true;
            ScheduleStep();
        }
    }

    private void StopReading()
    {
        if (!_reading) return;
        _reading = false;
        if (_stepped)
        {
            _step?.Cancel();
            _step = null;
            return;
        }
        _host.RemoveReader(this);
    }

    private void ScheduleStep() => _step = _host.CallLater(TimeSpan.Zero, Step);

    private void Step()
    {
        _step = null;
        if (!_reading) return;
        DoRead();
        if (_reading && !_closed && _step is null) ScheduleStep();
    }
}
