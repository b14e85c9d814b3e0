using System.Runtime.CompilerServices;

namespace Reactor.Native;

/// <summary>
/// One io_uring instance mapped into this process: the submission queue (SQEs are filled in place
/// and published by a release-store of the tail) and the completion queue (read after an
/// acquire-load of the tail, released by a store of the head). Single-threaded, like the loop
/// that owns it; nothing here allocates after construction.
/// </summary>
internal sealed unsafe class IoUringRing : IDisposable
{
    private readonly IIoUringSyscalls _sys;
    private int _fd;
    private void* _ring;
    private nuint _ringSize;
    private IoUringSqe* _sqes;
    private nuint _sqesSize;

    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint* _sqArray;
    private readonly uint _sqMask;
    private readonly uint _sqEntries;
    private uint _sqTailLocal;

    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly IoUringCqe* _cqes;

    private IoUringRing(IIoUringSyscalls sys, int fd, in IoUringParams p, void* ring, nuint ringSize, IoUringSqe* sqes, nuint sqesSize)
    {
        _sys = sys;
        _fd = fd;
        _ring = ring;
        _ringSize = ringSize;
        _sqes = sqes;
        _sqesSize = sqesSize;
        var b = (byte*)ring;
        _sqHead = (uint*)(b + p.SqOff.Head);
        _sqTail = (uint*)(b + p.SqOff.Tail);
        _sqArray = (uint*)(b + p.SqOff.Array);
        _sqMask = *(uint*)(b + p.SqOff.RingMask);
        _sqEntries = *(uint*)(b + p.SqOff.RingEntries);
        _cqHead = (uint*)(b + p.CqOff.Head);
        _cqTail = (uint*)(b + p.CqOff.Tail);
        _cqMask = *(uint*)(b + p.CqOff.RingMask);
        _cqes = (IoUringCqe*)(b + p.CqOff.Cqes);
        _sqTailLocal = *_sqTail;
        // Without IORING_SETUP_NO_SQARRAY the SQ holds indexes into the SQE array: make it the identity once.
        for (uint i = 0; i < _sqEntries; i++) _sqArray[i] = i;
    }

    /// <summary>The features the kernel reported (IORING_FEAT_*).</summary>
    public uint Features { get; private init; }

    /// <summary>The ring's descriptor.</summary>
    public int FileDescriptor => _fd;

    /// <summary>
    /// Creates a ring with <paramref name="entries"/> SQEs and <paramref name="cqEntries"/> CQEs, or
    /// returns null with the reason (the errno of the refusing call, or a missing feature).
    /// </summary>
    public static IoUringRing? TryCreate(IIoUringSyscalls sys, uint entries, uint cqEntries, out string? whyNot)
    {
        var p = default(IoUringParams);
        p.Flags = IoUringAbi.SetupCqSize | IoUringAbi.SetupSubmitAll | IoUringAbi.SetupCoopTaskRun | IoUringAbi.SetupTaskRunFlag;
        p.CqEntries = cqEntries;
        int fd = sys.Setup(entries, &p);
        if (fd == -Errno.EINVAL.Value)
        {
            // Older kernels (< 5.19) lack the task-run flags; they are an optimisation only.
            p = default;
            p.Flags = IoUringAbi.SetupCqSize;
            p.CqEntries = cqEntries;
            fd = sys.Setup(entries, &p);
        }
        if (fd < 0)
        {
            whyNot = -fd == Errno.EPERM.Value ? $"io_uring_setup was refused (EPERM: kernel.io_uring_disabled or a seccomp filter)"
                : -fd == Errno.ENOSYS.Value ? "io_uring_setup does not exist here (ENOSYS: kernel without io_uring, or a seccomp filter)"
                : $"io_uring_setup failed with errno {-fd}";
            return null;
        }

        const uint required = IoUringAbi.FeatSingleMmap | IoUringAbi.FeatNoDrop | IoUringAbi.FeatExtArg;
        if ((p.Features & required) != required)
        {
            CloseFd(fd);
            whyNot = $"the kernel's io_uring lacks a required feature (features 0x{p.Features:x}, need 0x{required:x}: single mmap, no-drop, extended wait argument; Linux 5.11+)";
            return null;
        }

        nuint sqSize = p.SqOff.Array + p.SqEntries * sizeof(uint);
        nuint cqSize = p.CqOff.Cqes + p.CqEntries * (nuint)sizeof(IoUringCqe);
        nuint ringSize = Math.Max(sqSize, cqSize);
        var ring = sys.Map(fd, ringSize, IoUringAbi.OffSqRing, out var errno);
        if (ring is null)
        {
            CloseFd(fd);
            whyNot = $"mmap of the io_uring rings failed: errno {errno.Value}";
            return null;
        }
        nuint sqesSize = p.SqEntries * (nuint)sizeof(IoUringSqe);
        var sqes = (IoUringSqe*)sys.Map(fd, sqesSize, IoUringAbi.OffSqes, out errno);
        if (sqes is null)
        {
            sys.Unmap(ring, ringSize);
            CloseFd(fd);
            whyNot = $"mmap of the io_uring submission entries failed: errno {errno.Value}";
            return null;
        }
        whyNot = null;
        return new IoUringRing(sys, fd, p, ring, ringSize, sqes, sqesSize) { Features = p.Features };
    }

    /// <summary>io_uring_register(2) on this ring: 0 or -errno.</summary>
    public int Register(uint opcode, void* argument, uint count) => _sys.Register(_fd, opcode, argument, count);

    /// <summary>Memory for provided buffers (huge pages where the kernel allows), or null with <paramref name="errno"/>; see <see cref="IIoUringSyscalls.MapBuffers"/>.</summary>
    public void* MapBuffers(nuint length, out Errno errno) => _sys.MapBuffers(length, out errno);

    /// <summary>Releases memory from <see cref="MapBuffers"/>.</summary>
    public void UnmapBuffers(void* address, nuint length) => _sys.Unmap(address, length);

    /// <summary>SQEs filled but not yet taken by the kernel.</summary>
    public uint Unsubmitted => _sqTailLocal - Volatile.Read(ref *_sqHead);

    /// <summary>
    /// The next free SQE, zeroed. When the queue is full, what is queued is submitted first
    /// (one io_uring_enter without waiting).
    /// </summary>
    public IoUringSqe* NextSqe()
    {
        if (_sqTailLocal - Volatile.Read(ref *_sqHead) >= _sqEntries) Enter(0, null);
        var sqe = &_sqes[_sqTailLocal & _sqMask];
        Unsafe.InitBlockUnaligned(sqe, 0, (uint)sizeof(IoUringSqe));
        _sqTailLocal++;
        return sqe;
    }

    /// <summary>
    /// Submits every queued SQE and, when <paramref name="minComplete"/> is positive, waits until
    /// that many completions are there or <paramref name="timeout"/> passes (null: no limit).
    /// Returns 0 or a negative errno the caller did not expect (ETIME, EINTR, EBUSY and EAGAIN are
    /// normal ends of a wait and return 0).
    /// </summary>
    public int Enter(uint minComplete, KernelTimespec* timeout)
    {
        Volatile.Write(ref *_sqTail, _sqTailLocal);
        uint toSubmit = _sqTailLocal - Volatile.Read(ref *_sqHead);
        var arg = default(IoUringGetEventsArg);
        arg.Timespec = (ulong)timeout;
        uint flags = IoUringAbi.EnterGetEvents | IoUringAbi.EnterExtArg;
        int result = _sys.Enter(_fd, toSubmit, minComplete, flags, &arg, (nuint)sizeof(IoUringGetEventsArg));
        if (result >= 0) return 0;
        int errno = -result;
        if (errno == IoUringAbi.ETime || errno == Errno.EINTR.Value || errno == IoUringAbi.EBusy || errno == Errno.EAGAIN.Value) return 0;
        return result;
    }

    /// <summary>True if a completion is waiting to be read.</summary>
    public bool HasCompletion => *_cqHead != Volatile.Read(ref *_cqTail);

    /// <summary>
    /// The oldest unread completion; call <see cref="Advance"/> once it has been handled. Only
    /// valid while <see cref="HasCompletion"/> is true.
    /// </summary>
    public ref IoUringCqe PeekCompletion() => ref _cqes[*_cqHead & _cqMask];

    /// <summary>Hands the oldest completion's slot back to the kernel.</summary>
    public void Advance() => Volatile.Write(ref *_cqHead, *_cqHead + 1);

    /// <summary>Unmaps the rings and closes the descriptor (the kernel cancels what is still in flight).</summary>
    public void Dispose()
    {
        if (_fd < 0) return;
        _sys.Unmap(_sqes, _sqesSize);
        _sys.Unmap(_ring, _ringSize);
        _sqes = null;
        _ring = null;
        CloseFd(_fd);
        _fd = -1;
    }

    private static void CloseFd(int fd) => LibcSyscalls.Instance.Close(fd, out _);
}
