using Reactor.Native;

namespace Reactor.Selectors.Internal;

/// <summary>
/// The descriptor a selector watches so another thread can interrupt its wait: an eventfd on
/// Linux, a non-blocking pipe elsewhere. Signals are coalesced: once one is pending, further
/// <see cref="Signal"/> calls cost no system call until the selector consumes it.
/// </summary>
internal sealed unsafe class WakeSignal : IDisposable
{
    private readonly ISyscalls _syscalls;
    private readonly Lock _gate = new();
    private readonly bool _isEventFd;
    private int _readFd;
    private int _writeFd;
    private int _pending;

    private WakeSignal(ISyscalls syscalls, int readFd, int writeFd, bool isEventFd)
    {
        _syscalls = syscalls;
        _readFd = readFd;
        _writeFd = writeFd;
        _isEventFd = isEventFd;
    }

    /// <summary>The descriptor to watch for readability.</summary>
    public int ReadFd => _readFd;

    /// <summary>An eventfd on Linux (unless <paramref name="usePipe"/>), a pipe elsewhere.</summary>
    public static WakeSignal Create(ISyscalls syscalls, bool usePipe = false)
    {
        if (!usePipe && NativePlatform.IsLinux)
        {
            int fd = syscalls.CreateEventFd(out Errno errno);
            if (fd >= 0) return new WakeSignal(syscalls, fd, fd, isEventFd: true);
            if (errno != Errno.ENOSYS) throw errno.ToIOException("eventfd");
        }

        if (syscalls.CreatePipe(out int readFd, out int writeFd, out Errno pipeErrno) < 0)
            throw pipeErrno.ToIOException("pipe");
        return new WakeSignal(syscalls, readFd, writeFd, isEventFd: false);
    }

    /// <summary>Makes the read end readable, unless a signal is already pending. Safe from any thread.</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _pending, 1) != 0) return;

        // The lock only orders this write against Dispose closing the descriptor, so a late
        // Wake can never write into a recycled descriptor number.
        lock (_gate)
        {
            if (_writeFd < 0) return;
            ulong one = 1;
            Errno errno;
            do
            {
                _syscalls.Write(_writeFd, (byte*)&one, _isEventFd ? sizeof(ulong) : 1, out errno);
            }
            while (errno == Errno.EINTR);

            // EAGAIN means the pipe (or counter) is full: the reader is already due to wake.
        }
    }

    /// <summary>Drains the descriptor, then clears the pending signal; called by the selector that saw it readable.</summary>
    public void Consume()
    {
        // Drain first, clear after. The other order loses every later wake-up: a Signal landing
        // between the clear and the drain sets the flag and writes, the drain then swallows its
        // write, and the flag stays set over an empty descriptor, so each later Signal returns
        // early and the selector sleeps through them. In this order a Signal racing the drain sees
        // the flag still set and skips its write, which is safe: the selector is awake, and the
        // caller queued its work before signalling, so the loop's next pass runs it.
        byte* buffer = stackalloc byte[64];
        while (true)
        {
            nint read = _syscalls.Read(_readFd, buffer, _isEventFd ? sizeof(ulong) : 64, out Errno errno);
            if (read > 0 && !_isEventFd) continue;
            if (read < 0 && errno == Errno.EINTR) continue;
            break;
        }
        Volatile.Write(ref _pending, 0);
    }

    /// <summary>Closes the descriptor(s).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_readFd < 0) return;
            _syscalls.Close(_readFd, out _);
            if (_writeFd != _readFd) _syscalls.Close(_writeFd, out _);
            _readFd = _writeFd = -1;
        }
    }
}
