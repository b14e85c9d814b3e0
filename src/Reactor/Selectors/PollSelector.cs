using System.Runtime.InteropServices;
using Reactor.Native;
using Reactor.Selectors.Internal;
using static Reactor.Native.NativeConstants;

namespace Reactor.Selectors;

/// <summary>
/// The POSIX poll(2) backend. It keeps one persistent <c>pollfd</c> array in native memory
/// (slot 0 is the wake-up descriptor) and a descriptor-indexed table of slots, so registering and
/// unregistering are O(1) (swap-remove) and a wait never rebuilds the array.
/// </summary>
internal sealed unsafe class PollSelector : ISelector
{
    private const int InitialCapacity = 64;

    private readonly ISyscalls _syscalls;
    private readonly RegistrationTable _registrations = new();
    private readonly WakeSignal _wake;
    private PollFd* _fds;
    private int _capacity;
    private int _used;
    private int _scanStart = 1;

    /// <summary>Creates a poll selector and its wake-up descriptor.</summary>
    /// <exception cref="IOException">The wake-up descriptor could not be created.</exception>
    public PollSelector()
        : this(LibcSyscalls.Instance)
    {
    }

    internal PollSelector(ISyscalls syscalls)
    {
        if (syscalls is LibcSyscalls && NativePlatform.IsWindows)
            throw new PlatformNotSupportedException("The poll selector needs a POSIX C library.");
        _syscalls = syscalls;
        _wake = WakeSignal.Create(syscalls);
        _capacity = InitialCapacity;
        _fds = (PollFd*)NativeMemory.Alloc((nuint)(_capacity * sizeof(PollFd)));
        _fds[0] = new PollFd { Fd = _wake.ReadFd, Events = POLLIN };
        _used = 1;
    }

    /// <inheritdoc/>
    public SelectorKind Kind => SelectorKind.Poll;

    /// <inheritdoc/>
    public void Register(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        ref Registration entry = ref _registrations.Add(fd, interest, token);
        if (_used == _capacity)
        {
            _capacity *= 2;
            _fds = (PollFd*)NativeMemory.Realloc(_fds, (nuint)(_capacity * sizeof(PollFd)));
        }

        entry.Slot = _used;
        _fds[_used++] = new PollFd { Fd = fd, Events = ToPoll(interest) };
    }

    /// <inheritdoc/>
    public void Modify(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        ref Registration entry = ref _registrations.GetExisting(fd);
        entry.Interest = interest;
        entry.Token = token;
        _fds[entry.Slot].Events = ToPoll(interest);
    }

    /// <inheritdoc/>
    public void Unregister(int fd)
    {
        ThrowIfDisposed();
        if (!_registrations.Contains(fd)) return;
        int slot = _registrations[fd].Slot;
        _registrations.Remove(fd);
        int last = --_used;
        if (slot != last)
        {
            _fds[slot] = _fds[last];
            _registrations[_fds[slot].Fd].Slot = slot;
        }
    }

    /// <inheritdoc/>
    public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
    {
        ThrowIfDisposed();
        if (events.IsEmpty) throw new ArgumentException("The span must have room for at least one event.", nameof(events));
        int ready = _syscalls.Poll(_fds, _used, SelectorTimeout.ToMilliseconds(timeout), out Errno errno);
        if (ready < 0)
        {
            if (errno == Errno.EINTR) return 0;
            throw errno.ToIOException("poll");
        }

        if (ready == 0) return 0;
        if (_fds[0].REvents != 0)
        {
            _fds[0].REvents = 0;
            _wake.Consume();
            ready--;
        }

        // Scan from where the last full span stopped, so descriptors late in the array are not
        // starved when more are ready than the caller has room for.
        int count = 0;
        int registered = _used - 1;
        int start = _scanStart <= registered ? _scanStart : 1;
        for (int n = 0; n < registered && ready > 0; n++)
        {
            int slot = start + n;
            if (slot >= _used) slot -= registered;
            ref PollFd pfd = ref _fds[slot];
            short revents = pfd.REvents;
            if (revents == 0) continue;
            if (count == events.Length)
            {
                _scanStart = slot;
                return count;
            }

            pfd.REvents = 0;
            ready--;
            ref Registration entry = ref _registrations[pfd.Fd];
            SelectorEvents mapped = Readiness.Map(
                entry.Interest,
                readable: (revents & POLLIN) != 0,
                writable: (revents & POLLOUT) != 0,
                readHangUp: (revents & POLLRDHUP) != 0,
                fullHangUp: (revents & POLLHUP) != 0,
                error: (revents & (POLLERR | POLLNVAL)) != 0);
            if (mapped != SelectorEvents.None) events[count++] = new SelectorEvent(entry.Token, mapped);
        }

        _scanStart = 1;
        return count;
    }

    /// <inheritdoc/>
    public void Wake()
    {
        if (_fds != null) _wake.Signal();
    }

    /// <summary>Closes the wake-up descriptor and frees the pollfd array; registered descriptors stay open.</summary>
    public void Dispose()
    {
        if (_fds == null) return;
        _wake.Dispose();
        NativeMemory.Free(_fds);
        _fds = null;
    }

    private static short ToPoll(Interest interest)
    {
        short flags = 0;
        if ((interest & Interest.Read) != 0) flags |= (short)(POLLIN | POLLRDHUP);
        if ((interest & Interest.Write) != 0) flags |= POLLOUT;
        return flags;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_fds == null, this);
}
