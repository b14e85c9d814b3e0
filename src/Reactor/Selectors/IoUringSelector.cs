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
/// <para>A poll request's user data names the registration's entry by index, and that index is the
/// slot of the caller's token (its low 32 bits, as in the reactor's <c>DescriptorTable</c>): a completion
/// reaches the reactor's descriptor by the same one array index as an epoll or kqueue event does.
/// Tokens that cannot serve as an index (the slot is held by another registration, or far beyond
/// the registrations there are) get an entry of the selector's own; see IoUringSelector.Entries.cs.</para>
/// <para>A poll request holds a reference to the file: a descriptor unregistered and then closed stays
/// open in the kernel until the removal is submitted, at the next <see cref="Wait"/> (the loop's
/// next iteration). Completions of a request that was removed or replaced are recognised by a
/// generation in their user data and dropped.</para>
/// </remarks>
internal sealed unsafe partial class IoUringSelector : ISelector
{
    private const uint SubmissionEntries = 256;
    private const uint CompletionEntries = 4096;

    // user_data: bits 0..31 entry index (the token's slot), 32..61 arm generation, 62..63 kind.
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
    private int[] _toArm = new int[64]; // entry indexes
    private int _toArmCount;
    private bool _wakeArmed;
    private bool _disposed;

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
        if (IndexOf(fd) >= 0) throw new InvalidOperationException($"Descriptor {fd} is already registered with this selector.");
        int index = Place(fd, token);
        ref Entry e = ref _entries[index];
        uint generation = e.Generation; // continues across uses of the index, so an earlier use's completions stay stale
        e = new Entry { Fd = fd, Registered = true, Interest = interest, Token = token, Generation = (generation + 1) & GenerationMask };
        if (Claimed(fd)) _streams!.SetWanted(fd, (interest & Interest.Read) != 0, token);
        QueueArm(index, ref e);
    }

    /// <inheritdoc/>
    public void Modify(int fd, Interest interest, long token)
    {
        ThrowIfDisposed();
        RegistrationTable.ValidateInterest(interest);
        int index = Existing(fd);
        ref Entry e = ref _entries[index];
        // The entry stays where it is even if the new token names another slot (the reactor never
        // does that): the index is only the selector's way back, and reports carry the new token.
        e.Token = token;
        if (Claimed(fd)) _streams!.SetWanted(fd, (interest & Interest.Read) != 0, token);
        if (e.Interest == interest) return;
        e.Interest = interest;
        Disarm(index, ref e);
        QueueArm(index, ref e);
    }

    /// <inheritdoc/>
    public void Unregister(int fd)
    {
        ThrowIfDisposed();
        int index = IndexOf(fd);
        if (index < 0) return;
        ref Entry e = ref _entries[index];
        if (Claimed(fd)) _streams!.SetWanted(fd, false, e.Token);
        Disarm(index, ref e);
        e.Registered = false;
        e.ArmQueued = false; // a stale listing in _toArm is skipped
        Release(fd);
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
                    if (Completed((uint)data, (uint)(data >> 32) & GenerationMask, res, out var ev)) events[count++] = ev;
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

    /// <summary>
    /// A poll request finished: the report it makes, if its registration still wants it. The user
    /// data's index is the entry (one array index, the token's slot); no descriptor lookup.
    /// </summary>
    private bool Completed(uint index, uint generation, int res, out SelectorEvent ev)
    {
        ev = default;
        if (index >= (uint)_entries.Length) return false;
        ref Entry e = ref _entries[index];
        if (!e.Registered || !e.Armed || e.Generation != generation) return false; // removed, replaced, or the index reused since
        e.Armed = false;
        // One-shot: ask again after the loop has acted on this report (level-triggered behaviour).
        QueueArm((int)index, ref e);
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
            Polled(e.Fd, e.Interest),
            readable: (mask & PollIn) != 0,
            writable: (mask & PollOut) != 0,
            readHangUp: (mask & PollRdHup) != 0,
            fullHangUp: (mask & PollHup) != 0,
            error: (mask & (PollErr | PollNval)) != 0);
        if (mapped == SelectorEvents.None) return false;
        ev = new SelectorEvent(e.Token, mapped, error);
        return true;
    }

    private void QueueArm(int index, ref Entry e)
    {
        if (e.ArmQueued || e.Armed) return;
        e.ArmQueued = true;
        if (_toArmCount == _toArm.Length) Array.Resize(ref _toArm, _toArm.Length * 2);
        _toArm[_toArmCount++] = index;
    }

    /// <summary>Turns the queued registrations into POLL_ADD submissions (sent with the next enter).</summary>
    private void ArmQueued()
    {
        for (int i = 0; i < _toArmCount; i++)
        {
            int index = _toArm[i];
            ref Entry e = ref _entries[index];
            if (!e.ArmQueued) continue;
            e.ArmQueued = false;
            if (!e.Registered) continue;
            var interest = Polled(e.Fd, e.Interest);
            // A claimed descriptor that only reads has nothing to poll: its multishot RECV reports.
            if (interest == Interest.None && Claimed(e.Fd)) continue;
            var sqe = _ring.NextSqe();
            sqe->Opcode = OpPollAdd;
            sqe->Fd = e.Fd;
            sqe->OpFlags = PollMask(interest);
            sqe->UserData = PollData(index, e.Generation);
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
    private void Disarm(int index, ref Entry e)
    {
        if (e.Armed)
        {
            var sqe = _ring.NextSqe();
            sqe->Opcode = OpPollRemove;
            sqe->Fd = -1;
            sqe->Addr = PollData(index, e.Generation);
            sqe->UserData = KindIgnore;
            e.Armed = false;
        }
        e.Generation = (e.Generation + 1) & GenerationMask;
    }

    /// <summary>What is polled for: a claimed descriptor's reading is done by completions.</summary>
    private Interest Polled(int fd, Interest interest) => Claimed(fd) ? interest & ~Interest.Read : interest;

    /// <summary>A poll request's user data: the entry's index (the token's slot) and its arm generation.</summary>
    private static ulong PollData(int index, uint generation) => KindPoll | ((ulong)generation << 32) | (uint)index;

    private static uint PollMask(Interest interest)
    {
        uint mask = 0;
        if ((interest & Interest.Read) != 0) mask |= PollIn | PollRdHup;
        if ((interest & Interest.Write) != 0) mask |= PollOut;
        return mask;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
