using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Reactor.Native;

// Every struct the project hands to the kernel, with its per-OS / per-architecture layout, lives
// in this file. Each one is blittable; sizes and offsets are pinned by Reactor.Tests.Native.

/// <summary><c>struct pollfd</c>: 8 bytes on Linux, macOS and the BSDs.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    /// <summary>The descriptor (negative: ignored by poll).</summary>
    public int Fd;

    /// <summary>Requested events (POLLIN, POLLOUT...).</summary>
    public short Events;

    /// <summary>Returned events, written by the kernel.</summary>
    public short REvents;
}

/// <summary><c>struct iovec</c>: one buffer of a scatter/gather call (readv, writev).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    /// <summary>Start of the buffer.</summary>
    public byte* Base;

    /// <summary>Length in bytes.</summary>
    public nuint Length;

    /// <summary>A vector over <paramref name="length"/> bytes at <paramref name="start"/>.</summary>
    public IoVec(byte* start, nuint length)
    {
        Base = start;
        Length = length;
    }
}

/// <summary><c>struct timespec</c> on 64-bit systems (kevent's timeout).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    /// <summary>Seconds.</summary>
    public long Seconds;

    /// <summary>Nanoseconds (0..999,999,999).</summary>
    public long Nanoseconds;
}

/// <summary>
/// <c>struct timeval</c> on 64-bit systems (select's timeout). macOS declares tv_usec as 32 bits
/// followed by padding; writing it as a 64-bit little-endian value stores the same bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeVal
{
    /// <summary>Seconds.</summary>
    public long Seconds;

    /// <summary>Microseconds (0..999,999).</summary>
    public long Microseconds;
}

/// <summary><c>struct rlimit</c>: rlim_t is 64 bits on every 64-bit Unix we run on.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RLimit
{
    /// <summary>The soft limit (what is enforced).</summary>
    public ulong Current;

    /// <summary>The hard limit (the most the soft limit may be raised to).</summary>
    public ulong Maximum;
}

/// <summary>
/// <c>fd_set</c> on Linux, macOS and the BSDs: a bitmask of <see cref="NativeConstants.FD_SETSIZE"/>
/// bits (128 bytes). Linux uses 64-bit words and Darwin 32-bit words, which on little-endian
/// machines puts bit <c>fd</c> at the same byte and bit, so one definition serves both.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FdSet
{
    private const int Words = NativeConstants.FD_SETSIZE / 64;

    private fixed ulong _bits[Words];

    /// <summary>Adds <paramref name="fd"/> (caller checked it is below FD_SETSIZE).</summary>
    public void Add(int fd) => _bits[fd >> 6] |= 1UL << (fd & 63);

    /// <summary>Removes <paramref name="fd"/>.</summary>
    public void Remove(int fd) => _bits[fd >> 6] &= ~(1UL << (fd & 63));

    /// <summary>True if <paramref name="fd"/> is in the set.</summary>
    public readonly bool Contains(int fd) => (_bits[fd >> 6] & (1UL << (fd & 63))) != 0;

    /// <summary>Empties the set.</summary>
    public void Clear()
    {
        for (int i = 0; i < Words; i++) _bits[i] = 0;
    }
}

/// <summary>Linux x86/x86-64 <c>struct epoll_event</c>: packed, 12 bytes, data at offset 4.</summary>
[StructLayout(LayoutKind.Explicit, Size = 12)]
internal struct EpollEventPacked
{
    /// <summary>EPOLLIN, EPOLLOUT...</summary>
    [FieldOffset(0)] public uint Events;

    /// <summary>The user data (epoll_data_t, 64 bits).</summary>
    [FieldOffset(4)] public ulong Data;
}

/// <summary>Linux arm64 (and other architectures) <c>struct epoll_event</c>: natural alignment, 16 bytes, data at 8.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct EpollEventAligned
{
    /// <summary>EPOLLIN, EPOLLOUT...</summary>
    [FieldOffset(0)] public uint Events;

    /// <summary>The user data (epoll_data_t, 64 bits).</summary>
    [FieldOffset(8)] public ulong Data;
}

/// <summary>
/// Reads and writes <c>epoll_event</c> arrays in this architecture's layout, so callers (and
/// fakes in tests) never pick the struct themselves.
/// </summary>
internal static unsafe class EpollEventLayout
{
    /// <summary>Bytes per event on this architecture (12 or 16).</summary>
    public static readonly int Size =
        NativePlatform.EpollEventIsPacked ? sizeof(EpollEventPacked) : sizeof(EpollEventAligned);

    /// <summary>The events mask of entry <paramref name="index"/>.</summary>
    public static uint GetEvents(void* buffer, int index) =>
        Unsafe.ReadUnaligned<uint>((byte*)buffer + (nint)index * Size);

    /// <summary>The data of entry <paramref name="index"/>.</summary>
    public static ulong GetData(void* buffer, int index) =>
        Unsafe.ReadUnaligned<ulong>((byte*)buffer + (nint)index * Size + (NativePlatform.EpollEventIsPacked ? 4 : 8));

    /// <summary>Writes entry <paramref name="index"/>.</summary>
    public static void Set(void* buffer, int index, uint events, ulong data)
    {
        byte* entry = (byte*)buffer + (nint)index * Size;
        Unsafe.WriteUnaligned(entry, events);
        if (!NativePlatform.EpollEventIsPacked) Unsafe.WriteUnaligned(entry + 4, 0u);
        Unsafe.WriteUnaligned(entry + (NativePlatform.EpollEventIsPacked ? 4 : 8), data);
    }
}

/// <summary>
/// The 32-byte <c>struct kevent</c> of macOS (declared under <c>#pragma pack(4)</c>, same offsets on
/// LP64), FreeBSD before 12 and libkqueue on Linux.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct KEvent32
{
    /// <summary>The identifier (a descriptor for read/write filters).</summary>
    [FieldOffset(0)] public nuint Ident;

    /// <summary>EVFILT_READ, EVFILT_WRITE, EVFILT_USER...</summary>
    [FieldOffset(8)] public short Filter;

    /// <summary>EV_ADD, EV_DELETE, EV_EOF, EV_ERROR...</summary>
    [FieldOffset(10)] public ushort Flags;

    /// <summary>Filter-specific flags (NOTE_TRIGGER; the socket error with EV_EOF).</summary>
    [FieldOffset(12)] public uint FFlags;

    /// <summary>Filter-specific data (bytes available; the errno with EV_ERROR).</summary>
    [FieldOffset(16)] public nint Data;

    /// <summary>Opaque user data.</summary>
    [FieldOffset(24)] public nint UData;
}

/// <summary>The 64-byte <c>struct kevent</c> of FreeBSD 12 and later: 64-bit data and four extension words.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct KEvent64
{
    /// <summary>The identifier (a descriptor for read/write filters).</summary>
    [FieldOffset(0)] public nuint Ident;

    /// <summary>EVFILT_READ, EVFILT_WRITE, EVFILT_USER...</summary>
    [FieldOffset(8)] public short Filter;

    /// <summary>EV_ADD, EV_DELETE, EV_EOF, EV_ERROR...</summary>
    [FieldOffset(10)] public ushort Flags;

    /// <summary>Filter-specific flags.</summary>
    [FieldOffset(12)] public uint FFlags;

    /// <summary>Filter-specific data.</summary>
    [FieldOffset(16)] public long Data;

    /// <summary>Opaque user data.</summary>
    [FieldOffset(24)] public nint UData;

    /// <summary>Extension words (zero when we write).</summary>
    [FieldOffset(32)] public fixed ulong Ext[4];
}

/// <summary>Which <c>struct kevent</c> ABI a kqueue library speaks.</summary>
internal enum KeventAbi
{
    /// <summary>macOS: 32-byte kevent, EVFILT_USER = -10.</summary>
    Darwin,

    /// <summary>FreeBSD 12+: 64-byte kevent, EVFILT_USER = -11.</summary>
    FreeBsd,

    /// <summary>libkqueue (Linux emulation): 32-byte kevent with FreeBSD's filter numbers (EVFILT_USER = -11).</summary>
    LibKqueue,
}

/// <summary>Reads and writes <c>kevent</c> arrays in one ABI's layout.</summary>
internal static unsafe class KeventLayout
{
    /// <summary>Bytes per entry in <paramref name="abi"/>.</summary>
    public static int SizeOf(KeventAbi abi) => abi == KeventAbi.FreeBsd ? sizeof(KEvent64) : sizeof(KEvent32);

    /// <summary>EVFILT_USER's number in <paramref name="abi"/>.</summary>
    public static short UserFilter(KeventAbi abi) =>
        abi == KeventAbi.Darwin ? NativeConstants.EVFILT_USER_DARWIN : NativeConstants.EVFILT_USER_FREEBSD;

    /// <summary>Writes entry <paramref name="index"/>, zeroing the fields not given.</summary>
    public static void Set(KeventAbi abi, void* buffer, int index, nuint ident, short filter, ushort flags, uint fflags, long data, nint udata)
    {
        if (abi == KeventAbi.FreeBsd)
        {
            KEvent64* e = (KEvent64*)buffer + index;
            *e = default;
            e->Ident = ident;
            e->Filter = filter;
            e->Flags = flags;
            e->FFlags = fflags;
            e->Data = data;
            e->UData = udata;
        }
        else
        {
            KEvent32* e = (KEvent32*)buffer + index;
            *e = default;
            e->Ident = ident;
            e->Filter = filter;
            e->Flags = flags;
            e->FFlags = fflags;
            e->Data = (nint)data;
            e->UData = udata;
        }
    }

    /// <summary>The opaque user data of entry <paramref name="index"/> (the selector's token).</summary>
    public static long GetUData(KeventAbi abi, void* buffer, int index) =>
        abi == KeventAbi.FreeBsd ? ((KEvent64*)buffer + index)->UData : ((KEvent32*)buffer + index)->UData;

    /// <summary>Reads entry <paramref name="index"/>.</summary>
    public static void Get(KeventAbi abi, void* buffer, int index, out nuint ident, out short filter, out ushort flags, out uint fflags, out long data)
    {
        if (abi == KeventAbi.FreeBsd)
        {
            KEvent64* e = (KEvent64*)buffer + index;
            (ident, filter, flags, fflags, data) = (e->Ident, e->Filter, e->Flags, e->FFlags, e->Data);
        }
        else
        {
            KEvent32* e = (KEvent32*)buffer + index;
            (ident, filter, flags, fflags, data) = (e->Ident, e->Filter, e->Flags, e->FFlags, e->Data);
        }
    }
}
