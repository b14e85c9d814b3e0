using System.Runtime.InteropServices;
using Reactor.Native;
using Reactor.Selectors.Internal;
using static Reactor.Native.NativeConstants;

namespace Reactor.Selectors;

/// <summary>
/// The kqueue backend (macOS, FreeBSD, or a Linux emulation named by <c>REACTOR_KQUEUE_LIBRARY</c>),
/// level-triggered: read and write interest are EVFILT_READ / EVFILT_WRITE filters added without
/// EV_CLEAR. Changes are applied at once with EV_RECEIPT so each one's error is seen; a descriptor
/// whose two filters fire together is reported as one event. Wake-ups use EVFILT_USER, or a pipe
/// where the library lacks it. <see cref="Interest.None"/> removes both filters, so hang-ups of a
/// descriptor with no interest are not reported on this backend. Each filter carries the caller's
/// token as its <c>udata</c>, so a report names its registration without a lookup; the table here
/// only remembers which filters are on (to change them) and merges a descriptor's two filters.
/// </summary>
internal sealed unsafe class KqueueSelector : ISelector
{
    private const int InitialCapacity = 256;
    private const int MaximumCapacity = 65536;
    private const nuint UserWakeIdent = 0;

    private readonly ISyscalls _syscalls;
    private readonly KeventAbi _abi;
    private readonly int _stride;
    private readonly short _userFilter;
    private readonly RegistrationTable _registrations = new();
    private readonly Lock _wakeGate = new();
    private readonly WakeSignal? _pipeWake;
    private int _kq;
    private void* _buffer;
    private int _capacity;
    private void* _changes; // four entries: at most two filters change per call, plus receipts
    private int _wakePending;
    private int _stamp;

    /// <summary>Creates a kqueue and its wake-up filter.</summary>
    /// <exception cref="PlatformNotSupportedException">No kqueue library is available here.</exception>
    /// <exception cref="IOException">kqueue() failed.</exception>
    public KqueueSelector()
        : this(LibcSyscalls.Instance)
    {
    }

    internal KqueueSelector(ISyscalls syscalls)
    {
        if (!syscalls.IsKqueueAvailable)
            throw new PlatformNotSupportedException(KqueueLibrary.Failure ?? "kqueue is not available here.");
        _syscalls = syscalls;
        _abi = syscalls.KeventAbi;
        _stride = KeventLayout.SizeOf(_abi);
        _userFilter = KeventLayout.UserFilter(_abi);
        _kq = syscalls.Kqueue(out Errno errno);
        if (_kq < 0) throw errno.ToIOException("kqueue");
        _changes = NativeMemory.AllocZeroed((nuint)(4 * _stride));
        _capacity = InitialCapacity;
        _buffer = NativeMemory.AllocZeroed((nuint)(_capacity * _stride));
        try
        {
            if (!Apply(UserWakeIdent, _userFilter, EV_ADD | EV_CLEAR, out _))
            {
                // No EVFILT_USER (an older emulation): a pipe does the same job.
                _pipeWake = WakeSignal.Create(syscalls, usePipe: true);
                if (!Apply((nuint)_pipeWake.ReadFd, EVFILT_READ, EV_ADD, out Errno pipeErrno))
                    throw pipeErrno.ToIOException("kevent(add wake-up pipe)");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public SelectorKind Kind => SelectorKind.Kqueue;

    /// <inheritdoc/>
    public void Register(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        _registrations.Add(fd, interest, token);
        try
        {
            ChangeFilters(fd, Interest.None, interest, token, retag: false);
        }
        catch
        {
            _registrations.Remove(fd);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Modify(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        RegistrationTable.ValidateToken(token);
        ref Registration entry = ref _registrations.GetExisting(fd);
        ChangeFilters(fd, entry.Interest, interest, token, retag: token != entry.Token);
        entry.Interest = interest;
        entry.Token = token;
    }

    /// <inheritdoc/>
    public void Unregister(int fd)
    {
        ThrowIfDisposed();
        if (!_registrations.Contains(fd)) return;
        Interest old = _registrations[fd].Interest;
        _registrations.Remove(fd);

        // ENOENT / EBADF: the descriptor was closed first, and closing removed its filters.
        if ((old & Interest.Read) != 0) Delete(fd, EVFILT_READ);
        if ((old & Interest.Write) != 0) Delete(fd, EVFILT_WRITE);
    }

    /// <inheritdoc/>
    public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
    {
        ThrowIfDisposed();
        if (events.IsEmpty) throw new ArgumentException("The span must have room for at least one event.", nameof(events));

        // A descriptor can produce two kevents (read and write), so ask for up to twice the span.
        EnsureCapacity(Math.Min(MaximumCapacity, events.Length * 2));
        int max = Math.Min(events.Length * 2, _capacity);
        TimeSpec interval = default;
        if (timeout is { } limit) (interval.Seconds, interval.Nanoseconds) = SelectorTimeout.ToSecondsAndNanoseconds(limit);
        int ready = _syscalls.Kevent(_kq, null, 0, _buffer, max, timeout is null ? null : &interval, out Errno errno);
        if (ready < 0)
        {
            if (errno == Errno.EINTR) return 0;
            throw errno.ToIOException("kevent");
        }

        int stamp = ++_stamp;
        int count = 0;
        for (int i = 0; i < ready; i++)
        {
            KeventLayout.Get(_abi, _buffer, i, out nuint ident, out short filter, out ushort flags, out uint fflags, out long data);
            if (filter == _userFilter)
            {
                Volatile.Write(ref _wakePending, 0);
                continue;
            }

            if (_pipeWake is not null && filter == EVFILT_READ && ident == (nuint)_pipeWake.ReadFd)
            {
                _pipeWake.Consume();
                continue;
            }

            int fd = (int)ident;
            if (ident > int.MaxValue || !_registrations.Contains(fd)) continue;
            ref Registration entry = ref _registrations[fd];
            long token = KeventLayout.GetUData(_abi, _buffer, i);
            bool eof = (flags & EV_EOF) != 0;
            // The error the kernel (or an emulation such as libkqueue, which clears SO_ERROR while
            // reading it) reports with the event: carry it, so nobody has to read SO_ERROR again.
            int errorCode = (flags & EV_ERROR) != 0 ? (int)data : eof ? (int)fflags : 0;
            SelectorEvents mapped = Readiness.Map(
                entry.Interest,
                readable: filter == EVFILT_READ,
                writable: filter == EVFILT_WRITE,
                readHangUp: eof && filter == EVFILT_READ,
                fullHangUp: eof && filter == EVFILT_WRITE,
                error: (flags & EV_ERROR) != 0 || (eof && fflags != 0));
            if (mapped == SelectorEvents.None) continue;
            if (entry.Mark == stamp)
            {
                ref SelectorEvent earlier = ref events[entry.Slot];
                earlier = earlier with { Events = earlier.Events | mapped, ErrorCode = earlier.ErrorCode != 0 ? earlier.ErrorCode : errorCode };
            }
            else if (count < events.Length)
            {
                entry.Mark = stamp;
                entry.Slot = count;
                events[count++] = new SelectorEvent(token, mapped, errorCode);
            }
        }

        return count;
    }

    /// <inheritdoc/>
    public void Wake()
    {
        if (_pipeWake is not null)
        {
            _pipeWake.Signal();
            return;
        }

        if (Interlocked.Exchange(ref _wakePending, 1) != 0) return;
        lock (_wakeGate)
        {
            if (_kq < 0) return;
            byte* change = stackalloc byte[64];
            KeventLayout.Set(_abi, change, 0, UserWakeIdent, _userFilter, 0, NOTE_TRIGGER, 0, 0);
            _syscalls.Kevent(_kq, change, 1, null, 0, null, out _);
        }
    }

    /// <summary>Closes the kqueue (and the wake-up pipe, if any); registered descriptors stay open.</summary>
    public void Dispose()
    {
        lock (_wakeGate)
        {
            if (_kq < 0) return;
            _pipeWake?.Dispose();
            _syscalls.Close(_kq, out _);
            _kq = -1;
        }

        NativeMemory.Free(_buffer);
        NativeMemory.Free(_changes);
        _buffer = _changes = null;
    }

    // A filter kept while the token changes is added again: EV_ADD on an existing filter replaces its udata.
    private void ChangeFilters(int fd, Interest from, Interest to, long token, bool retag)
    {
        bool addRead = (to & Interest.Read) != 0 && ((from & Interest.Read) == 0 || retag);
        bool addWrite = (to & Interest.Write) != 0 && ((from & Interest.Write) == 0 || retag);
        bool dropRead = (from & Interest.Read) != 0 && (to & Interest.Read) == 0;
        bool dropWrite = (from & Interest.Write) != 0 && (to & Interest.Write) == 0;
        if (addRead && !Apply((nuint)fd, EVFILT_READ, EV_ADD, out Errno errno, token))
            throw errno.ToIOException($"kevent(EV_ADD EVFILT_READ, {fd})");
        if (addWrite && !Apply((nuint)fd, EVFILT_WRITE, EV_ADD, out errno, token))
        {
            if (addRead && (from & Interest.Read) == 0) Delete(fd, EVFILT_READ);
            throw errno.ToIOException($"kevent(EV_ADD EVFILT_WRITE, {fd})");
        }

        if (dropRead) Delete(fd, EVFILT_READ);
        if (dropWrite) Delete(fd, EVFILT_WRITE);
    }

    private void Delete(int fd, short filter)
    {
        if (!Apply((nuint)fd, filter, EV_DELETE, out Errno errno) && errno != Errno.ENOENT && errno != Errno.EBADF)
            throw errno.ToIOException($"kevent(EV_DELETE, {fd})");
    }

    // Applies one change with EV_RECEIPT, so its outcome comes back as an EV_ERROR entry (data = 0
    // on success) instead of being mixed with pending events.
    private bool Apply(nuint ident, short filter, ushort flags, out Errno errno, long token = 0)
    {
        void* receipt = (byte*)_changes + _stride;
        KeventLayout.Set(_abi, _changes, 0, ident, filter, (ushort)(flags | EV_RECEIPT), 0, 0, (nint)token);
        TimeSpec immediately = default;
        int result = _syscalls.Kevent(_kq, _changes, 1, receipt, 1, &immediately, out errno);
        if (result < 0) return errno == Errno.EINTR; // with EINTR the change was already applied
        if (result == 0) return true;
        KeventLayout.Get(_abi, receipt, 0, out _, out _, out ushort receiptFlags, out _, out long data);
        if ((receiptFlags & EV_ERROR) != 0 && data != 0)
        {
            errno = new Errno((int)data);
            return false;
        }

        return true;
    }

    private void EnsureCapacity(int wanted)
    {
        if (wanted <= _capacity) return;
        int size = Math.Min(MaximumCapacity, Math.Max(wanted, _capacity * 2));
        _buffer = NativeMemory.Realloc(_buffer, (nuint)(size * _stride));
        _capacity = size;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_kq < 0, this);
}
