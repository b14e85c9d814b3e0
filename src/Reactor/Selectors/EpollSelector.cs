using System.Runtime.InteropServices;
using Reactor.Native;
using Reactor.Selectors.Internal;
using static Reactor.Native.NativeConstants;

namespace Reactor.Selectors;

/// <summary>
/// The Linux epoll backend, level-triggered. The epoll data of each descriptor is the caller's
/// token itself (mio's design): the kernel is the only registration table, so a report goes from
/// epoll_wait to the caller without a lookup here, and the wake-up eventfd uses the reserved
/// token −1. Without a table of interests, a hang-up or an error is reported as readiness in both
/// directions (the caller acts on the directions it registered for).
/// </summary>
internal sealed unsafe class EpollSelector : ISelector
{
    private const int InitialCapacity = 256;
    private const int MaximumCapacity = 65536;

    private const ulong WakeData = ulong.MaxValue; // the token −1, refused by Register

    private readonly ISyscalls _syscalls;
    private readonly WakeSignal _wake;
    private int _epfd;
    private void* _buffer;
    private int _capacity;

    /// <summary>Creates an epoll instance and its wake-up eventfd.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    /// <exception cref="IOException">epoll_create1 or eventfd failed.</exception>
    public EpollSelector()
        : this(LibcSyscalls.Instance)
    {
    }

    internal EpollSelector(ISyscalls syscalls)
    {
        if (syscalls is LibcSyscalls && !NativePlatform.IsLinux)
            throw new PlatformNotSupportedException("epoll exists only on Linux; use the kqueue, poll or select selector.");
        _syscalls = syscalls;
        _epfd = syscalls.EpollCreate(out Errno errno);
        if (_epfd < 0) throw errno.ToIOException("epoll_create1");
        try
        {
            _wake = WakeSignal.Create(syscalls);
            if (syscalls.EpollCtl(_epfd, EPOLL_CTL_ADD, _wake.ReadFd, EPOLLIN, WakeData, out errno) < 0)
            {
                _wake.Dispose();
                throw errno.ToIOException("epoll_ctl(ADD wake-up)");
            }
        }
        catch
        {
            syscalls.Close(_epfd, out _);
            throw;
        }

        _capacity = InitialCapacity;
        _buffer = NativeMemory.Alloc((nuint)(_capacity * EpollEventLayout.Size));
    }

    /// <inheritdoc/>
    public SelectorKind Kind => SelectorKind.Epoll;

    /// <inheritdoc/>
    public void Register(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateDescriptor(fd);
        RegistrationTable.ValidateInterest(interest);
        RegistrationTable.ValidateToken(token);
        if (_syscalls.EpollCtl(_epfd, EPOLL_CTL_ADD, fd, ToEpoll(interest), (ulong)token, out Errno errno) < 0)
        {
            if (errno == Errno.EEXIST) throw new InvalidOperationException($"Descriptor {fd} is already registered with this selector.");
            throw errno.ToIOException($"epoll_ctl(ADD, {fd})");
        }
    }

    /// <inheritdoc/>
    /// <remarks>One epoll_ctl(MOD) per call: the caller knows whether the interest changed, this backend keeps no copy of it.</remarks>
    public void Modify(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateDescriptor(fd);
        RegistrationTable.ValidateInterest(interest);
        RegistrationTable.ValidateToken(token);
        if (_syscalls.EpollCtl(_epfd, EPOLL_CTL_MOD, fd, ToEpoll(interest), (ulong)token, out Errno errno) < 0)
        {
            if (errno == Errno.ENOENT) throw new InvalidOperationException($"Descriptor {fd} is not registered with this selector.");
            throw errno.ToIOException($"epoll_ctl(MOD, {fd})");
        }
    }

    /// <inheritdoc/>
    public void Unregister(int fd)
    {
        ThrowIfDisposed();
        if (fd < 0) return;

        // ENOENT: not registered. EBADF: closed before being unregistered, and the kernel already
        // dropped it (when no duplicate keeps the file description open).
        if (_syscalls.EpollCtl(_epfd, EPOLL_CTL_DEL, fd, 0, 0, out Errno errno) < 0 &&
            errno != Errno.EBADF && errno != Errno.ENOENT)
        {
            throw errno.ToIOException($"epoll_ctl(DEL, {fd})");
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// No system call: closing the last descriptor of an open file removes it from every epoll set.
    /// A duplicate kept elsewhere (dup, fork without exec) would keep it registered, and its reports
    /// would carry this registration's token — hence "holds no duplicate" in the contract; a caller
    /// whose tokens carry a generation (the reactor's do) recognises such a report as stale.
    /// </remarks>
    public void UnregisterBeforeClose(int fd) => ThrowIfDisposed();

    /// <inheritdoc/>
    public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
    {
        ThrowIfDisposed();
        if (events.IsEmpty) throw new ArgumentException("The span must have room for at least one event.", nameof(events));
        EnsureCapacity(events.Length);
        int max = Math.Min(events.Length, _capacity);
        int ready = _syscalls.EpollWait(_epfd, _buffer, max, SelectorTimeout.ToMilliseconds(timeout), out Errno errno);
        if (ready < 0)
        {
            if (errno == Errno.EINTR) return 0;
            throw errno.ToIOException("epoll_wait");
        }

        int count = 0;
        for (int i = 0; i < ready; i++)
        {
            ulong data = EpollEventLayout.GetData(_buffer, i);
            uint flags = EpollEventLayout.GetEvents(_buffer, i);
            if (data == WakeData)
            {
                _wake.Consume();
                continue;
            }

            // The kernel reports readable/writable only where asked; hang-ups and errors always.
            SelectorEvents mapped = Readiness.Map(
                Interest.ReadWrite,
                readable: (flags & EPOLLIN) != 0,
                writable: (flags & EPOLLOUT) != 0,
                readHangUp: (flags & EPOLLRDHUP) != 0,
                fullHangUp: (flags & EPOLLHUP) != 0,
                error: (flags & EPOLLERR) != 0);
            if (mapped != SelectorEvents.None) events[count++] = new SelectorEvent((long)data, mapped);
        }

        return count;
    }

    /// <inheritdoc/>
    public void Wake()
    {
        if (_epfd >= 0) _wake.Signal();
    }

    /// <summary>Closes the epoll instance and the wake-up descriptor; registered descriptors stay open.</summary>
    public void Dispose()
    {
        if (_epfd < 0) return;
        _wake.Dispose();
        _syscalls.Close(_epfd, out _);
        _epfd = -1;
        NativeMemory.Free(_buffer);
        _buffer = null;
    }

    private static uint ToEpoll(Interest interest)
    {
        uint flags = 0;
        if ((interest & Interest.Read) != 0) flags |= EPOLLIN | EPOLLRDHUP;
        if ((interest & Interest.Write) != 0) flags |= EPOLLOUT;
        return flags;
    }

    private void EnsureCapacity(int wanted)
    {
        if (wanted <= _capacity || _capacity >= MaximumCapacity) return;
        int size = Math.Min(MaximumCapacity, Math.Max(wanted, _capacity * 2));
        _buffer = NativeMemory.Realloc(_buffer, (nuint)(size * EpollEventLayout.Size));
        _capacity = size;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_epfd < 0, this);
}
