using Reactor.Native;
using Reactor.Selectors.Internal;
using Reactor.Selectors.IoUring;
using static Reactor.Native.IoUringAbi;

namespace Reactor.Selectors;

/// <summary>
/// The Linux io_uring backend as a readiness selector: every registration is a one-shot
/// <c>IORING_OP_POLL_ADD</c>, re-armed after it is reported (so it is level-triggered, like the
/// other backends: a descriptor that stays ready is reported again), and all arming, disarming and
/// waiting of one loop iteration goes to the kernel in ONE <c>io_uring_enter</c> whose extended
/// argument carries the loop's timer deadline. Feature-detected: <see cref="TryCreate"/> returns
/// null with the reason where the kernel, <c>kernel.io_uring_disabled</c> or a seccomp filter
/// refuses io_uring, and <see cref="SelectorFactory"/> falls back to epoll.
/// </summary>
/// <remarks>
/// A poll request holds a reference to the file: a descriptor unregistered and then closed stays
/// open in the kernel until the removal is submitted, at the next <see cref="Wait"/> (the loop's
/// next iteration). Completions of a request that was removed or replaced are recognised by a
/// generation in their user data and dropped.
/// </remarks>
internal sealed unsafe class IoUringSelector : ISelector
{
    private const uint SubmissionEntries = 256;
    private const uint CompletionEntries = 4096;

    // user_data: bits 0..31 descriptor, 32..61 generation, 62..63 kind.
    private const ulong KindPoll = 0;
    private const ulong KindIgnore = 1UL << 62;
    private const ulong KindWake = 2UL << 62;
    private const ulong KindCompletion = CompletionKey.Kind; // a claimed descriptor's RECV/ACCEPT (CompletionStreams)
    private const ulong KindMask = 3UL << 62;
    private const uint GenerationMask = (1u << 30) - 1;

    private readonly IoUringRing _ring;
    private readonly WakeSignal _wake;
    private readonly ISyscalls _syscalls;
    private CompletionStreams? _streams;
    private Entry[] _entries = new Entry[64];
    private int[] _toArm = new int[64];
    private int _toArmCount;
    private bool _wakeArmed;
    private bool _disposed;

    private struct Entry
    {
        public bool Registered;
        public bool Armed;      // a POLL_ADD with Generation is in the kernel (or queued for it)
        public bool ArmQueued;  // listed in _toArm
        public Interest Interest;
        public uint Generation;
        public long Token;
    }

    private IoUringSelector(IoUringRing ring, WakeSignal wake, ISyscalls syscalls)
    {
        _ring = ring;
        _wake = wake;
        _syscalls = syscalls;
    }

    /// <summary>
    /// The completion side: descriptors claimed there are read by multishot RECV / ACCEPT instead of
    /// being polled for reading (writability is still polled). Created at first use.
    /// </summary>
    internal CompletionStreams Completions
    {
        get
        {
            ThrowIfDisposed();
            return _streams ??= new CompletionStreams(_ring, _syscalls);
        }
    }

    /// <summary>
    /// Replaces the completion side's buffer ring dimensions and per-receive byte limit (tests: a
    /// small ring to exhaust, a small bound to flood, the one-shot receives of kernels before 6.17).
    /// Before any claim.
    /// </summary>
    internal void UseCompletionBuffers(int count, int size, int receiveLimit = 0, bool multishotReceive = true)
    {
        if (_streams is not null) throw new InvalidOperationException("The completion side is already in use.");
        _streams = new CompletionStreams(_ring, _syscalls, count, size, receiveLimit, multishotReceive);
    }

    private bool Claimed(int fd) => _streams is not null && _streams.IsClaimed(fd);

    /// <summary>Creates the backend, or returns null with <paramref name="whyNot"/> when io_uring is unusable here.</summary>
    public static IoUringSelector? TryCreate(out string? whyNot) => TryCreateWith(LibcIoUringSyscalls.Instance, LibcSyscalls.Instance, out whyNot);

    internal static IoUringSelector? TryCreateWith(IIoUringSyscalls uring, ISyscalls syscalls, out string? whyNot)
    {
        if (!NativePlatform.IsLinux)
        {
            whyNot = "io_uring exists only on Linux";
            return null;
        }
        var ring = IoUringRing.TryCreate(uring, SubmissionEntries, CompletionEntries, out whyNot);
        if (ring is null) return null;
        try
        {
            return new IoUringSelector(ring, WakeSignal.Create(syscalls), syscalls);
        }
        catch (IOException ex)
        {
            ring.Dispose();
            whyNot = ex.Message;
            return null;
        }
    }

    /// <inheritdoc/>
    public SelectorKind Kind => SelectorKind.IoUring;

    /// <inheritdoc/>
    public void Register(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateDescriptor(fd);
        RegistrationTable.ValidateInterest(interest);
        RegistrationTable.ValidateToken(token);
        if (fd >= _entries.Length)
        {
            int size = _entries.Length;
            while (size <= fd) size *= 2;
            Array.Resize(ref _entries, size);
        }
        ref Entry e = ref _entries[fd];
        if (e.Registered) throw new InvalidOperationException($"Descriptor {fd} is already registered with this selector.");
        uint generation = e.Generation;
        e = new Entry { Registered = true, Interest = interest, Token = token, Generation = (generation + 1) & GenerationMask };
        if (Claimed(fd)) _streams!.SetWanted(fd, (interest & Interest.Read) != 0, token);
        QueueArm(fd, ref e);
    }

    /// <inheritdoc/>
    public void Modify(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        ref Entry e = ref Existing(fd);
        e.Token = token;
        if (Claimed(fd)) _streams!.SetWanted(fd, (interest & Interest.Read) != 0, token);
        if (e.Interest == interest) return;
        e.Interest = interest;
        Disarm(fd, ref e);
        QueueArm(fd, ref e);
    }

    /// <inheritdoc/>
    public void Unregister(int fd)
    {
        ThrowIfDisposed();
        if ((uint)fd >= (uint)_entries.Length || !_entries[fd].Registered) return;
        ref Entry e = ref _entries[fd];
        if (Claimed(fd)) _streams!.SetWanted(fd, false, e.Token);
        Disarm(fd, ref e);
        e.Registered = false;
        e.ArmQueued = false; // a stale entry in _toArm is skipped
    }

    /// <inheritdoc/>
    public int Wait(Span<SelectorEvent> events, TimeSpan? timeout)
    {
        ThrowIfDisposed();
        if (events.IsEmpty) throw new ArgumentException("The span must have room for at least one event.", nameof(events));
        _streams?.Prepare();
        ArmQueued();

        if (!_ring.HasCompletion && !(_streams is not null && _streams.AnyReady()))
        {
            KernelTimespec ts;
            KernelTimespec* deadline = null;
            if (timeout is { } t)
            {
                long ticks = Math.Max(0, t.Ticks);
                ts.Seconds = ticks / TimeSpan.TicksPerSecond;
                ts.Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100;
                deadline = &ts;
            }
            uint wanted = timeout == TimeSpan.Zero ? 0u : 1u;
            int result = _ring.Enter(wanted, deadline);
            if (result < 0) throw new Errno(-result).ToIOException("io_uring_enter");
        }
        else if (_ring.Unsubmitted > 0)
        {
            // Completions (or held results) are already waiting: submit the arming without waiting.
            int result = _ring.Enter(0, null);
            if (result < 0) throw new Errno(-result).ToIOException("io_uring_enter");
        }

        int count = 0;
        while (count < events.Length && _ring.HasCompletion)
        {
            ref IoUringCqe cqe = ref _ring.PeekCompletion();
            ulong data = cqe.UserData;
            int res = cqe.Res;
            uint flags = cqe.Flags;
            _ring.Advance();
            switch (data & KindMask)
            {
                case KindPoll:
                    if (Completed((int)(uint)data, (uint)(data >> 32) & GenerationMask, res, out var ev)) events[count++] = ev;
                    break;
                case KindWake:
                    _wakeArmed = false;
                    _wake.Consume();
                    break;
                case KindCompletion:
                    _streams!.OnCompletion(data, res, flags);
                    break;
            }
        }
        return _streams is null ? count : _streams.Report(events, count);
    }

    /// <inheritdoc/>
    public void Wake()
    {
        if (!_disposed) _wake.Signal();
    }

    /// <summary>Closes the ring (the kernel drops every poll request) and the wake-up descriptor; registered descriptors stay open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _streams?.Dispose();
        _ring.Dispose();
        _wake.Dispose();
    }

    /// <summary>A poll request finished: the report it makes, if its registration still wants it.</summary>
    private bool Completed(int fd, uint generation, int res, out SelectorEvent ev)
    {
        ev = default;
        if ((uint)fd >= (uint)_entries.Length) return false;
        ref Entry e = ref _entries[fd];
        if (!e.Registered || !e.Armed || e.Generation != generation) return false; // removed or replaced
        e.Armed = false;
        // One-shot: ask again after the loop has acted on this report (level-triggered behaviour).
        QueueArm(fd, ref e);
        uint mask;
        int error = 0;
        if (res < 0)
        {
            // The request itself failed (EBADF: closed while registered): report it as an error.
            mask = PollErr;
            error = -res;
        }
        else
        {
            mask = (uint)res;
        }
        SelectorEvents mapped = Readiness.Map(
            Polled(fd, e.Interest),
            readable: (mask & PollIn) != 0,
            writable: (mask & PollOut) != 0,
            readHangUp: (mask & PollRdHup) != 0,
            fullHangUp: (mask & PollHup) != 0,
            error: (mask & (PollErr | PollNval)) != 0);
        if (mapped == SelectorEvents.None) return false;
        ev = new SelectorEvent(e.Token, mapped, error);
        return true;
    }

    private void QueueArm(int fd, ref Entry e)
    {
        if (e.ArmQueued || e.Armed) return;
        e.ArmQueued = true;
        if (_toArmCount == _toArm.Length) Array.Resize(ref _toArm, _toArm.Length * 2);
        _toArm[_toArmCount++] = fd;
    }

    /// <summary>Turns the queued registrations into POLL_ADD submissions (sent with the next enter).</summary>
    private void ArmQueued()
    {
        for (int i = 0; i < _toArmCount; i++)
        {
            int fd = _toArm[i];
            ref Entry e = ref _entries[fd];
            if (!e.ArmQueued) continue;
            e.ArmQueued = false;
            if (!e.Registered) continue;
            var interest = Polled(fd, e.Interest);
            // A claimed descriptor that only reads has nothing to poll: its multishot RECV reports.
            if (interest == Interest.None && Claimed(fd)) continue;
            var sqe = _ring.NextSqe();
            sqe->Opcode = OpPollAdd;
            sqe->Fd = fd;
            sqe->OpFlags = PollMask(interest);
            sqe->UserData = KindPoll | ((ulong)e.Generation << 32) | (uint)fd;
            e.Armed = true;
        }
        _toArmCount = 0;
        if (!_wakeArmed)
        {
            var sqe = _ring.NextSqe();
            sqe->Opcode = OpPollAdd;
            sqe->Fd = _wake.ReadFd;
            sqe->OpFlags = PollIn;
            sqe->UserData = KindWake;
            _wakeArmed = true;
        }
    }

    /// <summary>Cancels the armed request (if any) and moves to a new generation so its late completion is dropped.</summary>
    private void Disarm(int fd, ref Entry e)
    {
        if (e.Armed)
        {
            var sqe = _ring.NextSqe();
            sqe->Opcode = OpPollRemove;
            sqe->Fd = -1;
            sqe->Addr = KindPoll | ((ulong)e.Generation << 32) | (uint)fd;
            sqe->UserData = KindIgnore;
            e.Armed = false;
        }
        e.Generation = (e.Generation + 1) & GenerationMask;
    }

    /// <summary>What is polled for: a claimed descriptor's reading is done by completions.</summary>
    private Interest Polled(int fd, Interest interest) => Claimed(fd) ? interest & ~Interest.Read : interest;

    private static uint PollMask(Interest interest)
    {
        uint mask = 0;
        if ((interest & Interest.Read) != 0) mask |= PollIn | PollRdHup;
        if ((interest & Interest.Write) != 0) mask |= PollOut;
        return mask;
    }

    private ref Entry Existing(int fd)
    {
        RegistrationTable.ValidateDescriptor(fd);
        if ((uint)fd >= (uint)_entries.Length || !_entries[fd].Registered)
            throw new InvalidOperationException($"Descriptor {fd} is not registered with this selector.");
        return ref _entries[fd];
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
