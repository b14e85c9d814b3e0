using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// The Linux io_uring ABI (include/uapi/linux/io_uring.h): syscall numbers, flags, opcodes and the
/// three structures shared with the kernel. Only what the reactor uses; offsets are the kernel's
/// and are checked by tests against the documented sizes (params 120 B, SQE 64 B, CQE 16 B).
/// </summary>
internal static class IoUringAbi
{
    // Syscall numbers: the same on x86-64 and arm64 (asm-generic), 425..427.
    public const long SysSetup = 425;
    public const long SysEnter = 426;
    public const long SysRegister = 427;

    // io_uring_setup flags.
    public const uint SetupCqSize = 1u << 3;
    public const uint SetupSubmitAll = 1u << 7;
    public const uint SetupCoopTaskRun = 1u << 8;
    public const uint SetupTaskRunFlag = 1u << 9;

    // io_uring_params.features the backend requires.
    public const uint FeatSingleMmap = 1u << 0;
    public const uint FeatNoDrop = 1u << 1;
    public const uint FeatExtArg = 1u << 8;

    // io_uring_enter flags.
    public const uint EnterGetEvents = 1u << 0;
    public const uint EnterExtArg = 1u << 3;

    // mmap offsets.
    public const long OffSqRing = 0;
    public const long OffSqes = 0x10000000;

    // Opcodes.
    public const byte OpNop = 0;
    public const byte OpPollAdd = 6;
    public const byte OpPollRemove = 7;
    public const byte OpAccept = 13;
    public const byte OpAsyncCancel = 14;
    public const byte OpRecv = 27;
    public const byte OpSend = 26;
    public const byte OpSendMsg = 9;

    // send flags: MSG_NOSIGNAL (a reset peer gives EPIPE, not SIGPIPE).
    public const uint MsgNoSignal = 0x4000;

    // io_uring_sqe.flags: IOSQE_BUFFER_SELECT (bit 5) = take the buffer from the group in buf_group.
    public const byte SqeBufferSelect = 1 << 5;

    // io_uring_sqe.ioprio for ACCEPT and RECV: keep the request armed, one completion per result.
    public const ushort AcceptMultishot = 1 << 0;
    public const ushort RecvMultishot = 1 << 1;

    // io_uring_cqe.flags.
    public const uint CqeBuffer = 1u << 0;   // IORING_CQE_F_BUFFER: the buffer id is in flags >> 16
    public const uint CqeMore = 1u << 1;     // IORING_CQE_F_MORE: the multishot request stays armed
    public const int CqeBufferShift = 16;

    // io_uring_register opcodes.
    public const uint RegisterPbufRing = 22;
    public const uint UnregisterPbufRing = 23;

    // Linux errno values of completions (Errno's ENOBUFS etc. are per-OS; io_uring is Linux only).
    public const int ENoBufs = 105;
    public const int ECanceled = 125;

    // poll(2) bits as io_uring's poll32_events carries them.
    public const uint PollIn = 0x001;
    public const uint PollOut = 0x004;
    public const uint PollErr = 0x008;
    public const uint PollHup = 0x010;
    public const uint PollNval = 0x020;
    public const uint PollRdHup = 0x2000;

    // Linux errno values io_uring_enter returns for a normal end of a wait (not in Errno: Linux only).
    public const int ETime = 62;
    public const int EBusy = 16;

    // mmap(2).
    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int MapShared = 0x01;
    public const int MapPopulate = 0x8000;
    public const int MapPrivate = 0x02;
    public const int MapAnonymous = 0x20;

    /// <summary>madvise(2) advice: back the range with transparent huge pages where the kernel allows it.</summary>
    public const int MadvHugePage = 14;
}

/// <summary>struct io_sqring_offsets (40 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoSqRingOffsets
{
    public uint Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Resv1;
    public ulong UserAddr;
}

/// <summary>struct io_cqring_offsets (40 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoCqRingOffsets
{
    public uint Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Resv1;
    public ulong UserAddr;
}

/// <summary>struct io_uring_params (120 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoUringParams
{
    public uint SqEntries;
    public uint CqEntries;
    public uint Flags;
    public uint SqThreadCpu;
    public uint SqThreadIdle;
    public uint Features;
    public uint WqFd;
    public fixed uint Resv[3];
    public IoSqRingOffsets SqOff;
    public IoCqRingOffsets CqOff;
}

/// <summary>struct io_uring_sqe (64 bytes), the union members the reactor fills.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct IoUringSqe
{
    [FieldOffset(0)] public byte Opcode;
    [FieldOffset(1)] public byte Flags;
    [FieldOffset(2)] public ushort IoPrio;
    [FieldOffset(4)] public int Fd;
    [FieldOffset(8)] public ulong Off;
    [FieldOffset(16)] public ulong Addr;
    [FieldOffset(24)] public uint Len;
    [FieldOffset(28)] public uint OpFlags; // poll32_events, msg_flags, timeout_flags ...
    [FieldOffset(32)] public ulong UserData;
    [FieldOffset(40)] public ushort BufIndex;
    [FieldOffset(44)] public uint OptLen; // union with file_index: a multishot RECV's total byte limit (Linux 6.17+)
}

/// <summary>struct io_uring_cqe (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringCqe
{
    public ulong UserData;
    public int Res;
    public uint Flags;
}

/// <summary>struct io_uring_getevents_arg (24 bytes): the wait's timeout for IORING_ENTER_EXT_ARG.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringGetEventsArg
{
    public ulong SigMask;
    public uint SigMaskSize;
    public uint MinWaitMicroseconds;
    public ulong Timespec; // address of a KernelTimespec, 0 = no timeout
}

/// <summary>struct io_uring_buf (16 bytes): one entry of a provided-buffer ring. Entry 0's <c>Resv</c> is the ring's tail.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringBuf
{
    public ulong Addr;
    public uint Len;
    public ushort Bid;
    public ushort Resv;
}

/// <summary>struct io_uring_buf_reg (40 bytes): the argument of IORING_REGISTER_PBUF_RING.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoUringBufReg
{
    public ulong RingAddr;
    public uint RingEntries;
    public ushort Bgid;
    public ushort Flags;
    public fixed ulong Resv[3];
}

/// <summary>struct msghdr on 64-bit Linux (56 bytes): a gathered SENDMSG's iovec, no address, no control data.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary>struct __kernel_timespec (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KernelTimespec
{
    public long Seconds;
    public long Nanoseconds;
}
