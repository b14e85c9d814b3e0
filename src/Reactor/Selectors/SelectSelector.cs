using System.Runtime.InteropServices;
using Reactor.Native;
using Reactor.Selectors.Internal;
using static Reactor.Native.NativeConstants;

namespace Reactor.Selectors;

/// <summary>
/// The POSIX select(2) backend: portable, and limited to descriptors below
/// <c>FD_SETSIZE</c> (1024); registering a higher one fails with an error that says so. Hang-ups
/// show up as readability (select has no separate hang-up bit), and <see cref="Interest.None"/>
/// reports nothing at all.
/// </summary>
internal sealed unsafe class SelectSelector : ISelector
{
    /// <summary>The highest descriptor number select(2) can watch, plus one.</summary>
    public const int MaximumDescriptors = FD_SETSIZE;

    private readonly ISyscalls _syscalls;
    private readonly RegistrationTable _registrations = new();
    private readonly WakeSignal _wake;
    private FdSet* _sets; // [0] read interest, [1] write interest, [2] and [3]: what select returned
    private int[] _fds = new int[64];
    private int _used;
    private int _maxFd;
    private int _scanStart;

    /// <summary>Creates a select selector and its wake-up descriptor.</summary>
    /// <exception cref="IOException">The wake-up descriptor could not be created.</exception>
    /// <exception cref="PlatformNotSupportedException">On Windows, whose Winsock select this backend does not drive.</exception>
    public SelectSelector()
        : this(LibcSyscalls.Instance)
    {
    }

    internal SelectSelector(ISyscalls syscalls)
    {
        if (syscalls is LibcSyscalls && NativePlatform.IsWindows)
            throw new PlatformNotSupportedException("This select backend drives POSIX select(2); Winsock's fd_set is not supported.");
        _syscalls = syscalls;
        _wake = WakeSignal.Create(syscalls);
        if (_wake.ReadFd >= FD_SETSIZE)
        {
            _wake.Dispose();
            throw new InvalidOperationException(TooHigh(_wake.ReadFd) + " (here: its own wake-up descriptor)");
        }

        _sets = (FdSet*)NativeMemory.AllocZeroed((nuint)(4 * sizeof(FdSet)));
        _sets[0].Add(_wake.ReadFd);
        _maxFd = _wake.ReadFd;
    }

    /// <inheritdoc/>
    public SelectorKind Kind => SelectorKind.Select;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative, or at or above FD_SETSIZE.</exception>
    public void Register(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateDescriptor(fd);
        RegistrationTable.ValidateInterest(interest);
        if (fd >= FD_SETSIZE) throw new ArgumentOutOfRangeException(nameof(fd), fd, TooHigh(fd));
        ref Registration entry = ref _registrations.Add(fd, interest, token);
        if (_used == _fds.Length) Array.Resize(ref _fds, _fds.Length * 2);
        entry.Slot = _used;
        _fds[_used++] = fd;
        SetInterest(fd, interest);
        if (fd > _maxFd) _maxFd = fd;
    }

    /// <inheritdoc/>
    public void Modify(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        ref Registration entry = ref _registrations.GetExisting(fd);
        entry.Interest = interest;
        entry.Token = token;
        SetInterest(fd, interest);
    }

    /// <inheritdoc/>
    public void Unregister(int fd)
    {
        ThrowIfDisposed();
        if (!_registrations.Contains(fd)) return;
        int slot = _registrations[fd].Slot;
        _registrations.Remove(fd);
        _sets[0].Remove(fd);
        _sets[1].Remove(fd);
        int last = --_used;
        if (slot != last)
        {
            _fds[slot] = _fds[last];
            _registrations[_fds[slot]].Slot = slot;
        }

        if (fd == _maxFd)
        {
            _maxFd = _wake.ReadFd;
            for (int i = 0; i < _used; i++) _maxFd = Math.Max(_maxFd, _fds[i]);
        }
    }

    /// <inheritdoc/>
    public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
    {
        ThrowIfDisposed();
        if (events.IsEmpty) throw new ArgumentException("The span must have room for at least one event.", nameof(events));
        _sets[2] = _sets[0];
        _sets[3] = _sets[1];
        TimeVal interval = default;
        if (timeout is { } limit)
            (interval.Seconds, interval.Microseconds) = SelectorTimeout.ToSecondsAndMicroseconds(limit);
        int ready = _syscalls.Select(_maxFd + 1, &_sets[2], &_sets[3], null, timeout is null ? null : &interval, out Errno errno);
        if (ready < 0)
        {
            if (errno == Errno.EINTR) return 0;
            if (errno == Errno.EBADF) return ReportClosedDescriptors(events);
            throw errno.ToIOException("select");
        }

        if (ready == 0) return 0;
        if (_sets[2].Contains(_wake.ReadFd))
        {
            _wake.Consume();
            ready--;
        }

        int count = 0;
        int start = _scanStart < _used ? _scanStart : 0;
        for (int n = 0; n < _used && ready > 0; n++)
        {
            int slot = start + n;
            if (slot >= _used) slot -= _used;
            int fd = _fds[slot];
            bool readable = _sets[2].Contains(fd);
            bool writable = _sets[3].Contains(fd);
            if (!readable && !writable) continue;
            if (count == events.Length)
            {
                _scanStart = slot;
                return count;
            }

            ready -= (readable ? 1 : 0) + (writable ? 1 : 0);
            ref Registration entry = ref _registrations[fd];
            SelectorEvents mapped = Readiness.Map(entry.Interest, readable, writable, false, false, false);
            if (mapped != SelectorEvents.None) events[count++] = new SelectorEvent(entry.Token, mapped);
        }

        _scanStart = 0;
        return count;
    }

    /// <inheritdoc/>
    public void Wake()
    {
        if (_sets != null) _wake.Signal();
    }

    /// <summary>Closes the wake-up descriptor; registered descriptors stay open.</summary>
    public void Dispose()
    {
        if (_sets == null) return;
        _wake.Dispose();
        NativeMemory.Free(_sets);
        _sets = null;
    }

    private static string TooHigh(int fd) =>
        $"select(2) can only watch descriptors below FD_SETSIZE ({FD_SETSIZE}), and {fd} is not; " +
        "use the poll or epoll selector instead (REACTOR_SELECTOR=poll or REACTOR_SELECTOR=epoll).";

    private void SetInterest(int fd, Interest interest)
    {
        if ((interest & Interest.Read) != 0) _sets[0].Add(fd);
        else _sets[0].Remove(fd);
        if ((interest & Interest.Write) != 0) _sets[1].Add(fd);
        else _sets[1].Remove(fd);
    }

    // select fails as a whole with EBADF when any watched descriptor was closed without being
    // unregistered. Like Twisted's selectreactor "preen", find the culprits and report them as
    // errors, so the caller can unregister them, instead of failing every wait.
    private int ReportClosedDescriptors(Span<SelectorEvent> events)
    {
        int count = 0;
        for (int i = 0; i < _used && count < events.Length; i++)
        {
            int fd = _fds[i];
            if (_syscalls.Fcntl(fd, F_GETFD, 0, out Errno errno) < 0 && errno == Errno.EBADF)
                events[count++] = new SelectorEvent(_registrations[fd].Token, SelectorEvents.Error);
        }

        if (count == 0) throw Errno.EBADF.ToIOException("select");
        return count;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_sets == null, this);
}
