using System.Runtime.InteropServices;
using Reactor.Native;
using static Reactor.Native.IoUringAbi;

namespace Reactor.Selectors.IoUring;

/// <summary>
/// A provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19): <see cref="Count"/> buffers of
/// <see cref="BufferSize"/> bytes in one native block, lent to the kernel through a page-aligned
/// ring of <see cref="IoUringBuf"/> entries. A receive that selects from the group takes the next
/// buffer and names it in its completion (<c>flags &gt;&gt; 16</c>); the buffer is the reactor's
/// until <see cref="Return"/> gives it back. When every buffer is out, receives fail with ENOBUFS.
/// </summary>
/// <remarks>
/// <para>Not every free buffer is published to the kernel: at most <see cref="Window"/> are, and a buffer
/// given back is published before older free ones (a stack). The kernel takes buffers in ring order,
/// so with all 256 published each receive landed in the buffer used 256 receives ago — 16 MiB away,
/// out of every cache — where epoll's path reuses one hot read buffer; perf put the receive copy
/// at 1.6× epoll's on 64 KiB bulk even on huge pages. A small window keeps the few buffers in use
/// recently in cache. A receive that found the window empty (ENOBUFS) widens it (<see cref="Starved"/>),
/// so a loop whose waits bring many receives at once soon publishes all it needs.</para>
/// <para>Native memory (mmap'd, on huge pages where the kernel allows), not pinned arrays: the kernel
/// writes into these buffers between submission and completion, and a moving GC must never own that
/// memory. Nothing here allocates after construction; single-threaded, like the loop that owns it.</para>
/// </remarks>
internal sealed unsafe class ProvidedBufferRing : IDisposable
{
    private readonly IoUringRing _ring;
    private IoUringBuf* _entries;
    private byte* _memory;
    private readonly ushort _mask;
    private ushort _tail;
    private readonly ushort[] _parked; // free but not published, the most recently returned on top
    private int _parkedCount;
    private int _published;            // in the kernel's ring and not yet taken

    /// <summary>Buffers published at most at first (and never more than <see cref="Count"/>).</summary>
    public const int InitialWindow = 16;

    private ProvidedBufferRing(IoUringRing ring, ushort groupId, int count, int bufferSize, IoUringBuf* entries, byte* memory)
    {
        _ring = ring;
        GroupId = groupId;
        Count = count;
        BufferSize = bufferSize;
        _entries = entries;
        _memory = memory;
        _mask = (ushort)(count - 1);
        _parked = new ushort[count];
        Window = Math.Min(InitialWindow, count);
        for (int i = count - 1; i >= 0; i--) _parked[_parkedCount++] = (ushort)i; // buffer 0 on top
        Publish();
    }

    /// <summary>The buffer group id receives name in <c>buf_group</c>.</summary>
    public ushort GroupId { get; }

    /// <summary>How many buffers the ring holds (a power of two).</summary>
    public int Count { get; }

    /// <summary>The size of each buffer.</summary>
    public int BufferSize { get; }

    /// <summary>Free buffers, published to the kernel or ready to be (the rest are lent out).</summary>
    public int Available => _published + _parkedCount;

    /// <summary>How many free buffers are published to the kernel at most; grows after a starved receive.</summary>
    public int Window { get; private set; }

    /// <summary>
    /// Registers a ring of <paramref name="count"/> buffers of <paramref name="bufferSize"/> bytes
    /// as group <paramref name="groupId"/>, or returns null with the kernel's refusal (a kernel
    /// before 5.19 says EINVAL).
    /// </summary>
    public static ProvidedBufferRing? TryCreate(IoUringRing ring, ushort groupId, int count, int bufferSize, out string? whyNot)
    {
        if (count <= 0 || count > 32768 || (count & (count - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(count), count, "A power of two up to 32768.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        nuint ringBytes = (nuint)(count * sizeof(IoUringBuf));
        var entries = (IoUringBuf*)NativeMemory.AlignedAlloc(Math.Max(ringBytes, 4096), 4096);
        NativeMemory.Clear(entries, ringBytes);
        // Huge pages where the kernel allows: the kernel fills these in turn, so with 4 KiB pages a
        // receive into the next buffer nearly always missed the TLB (see IIoUringSyscalls.MapBuffers).
        var memory = (byte*)ring.MapBuffers((nuint)count * (nuint)bufferSize, out var mapError);
        if (memory is null)
        {
            NativeMemory.AlignedFree(entries);
            whyNot = $"mmap of {(long)count * bufferSize} bytes of buffers failed with errno {mapError.Value}";
            return null;
        }
        var registration = default(IoUringBufReg);
        registration.RingAddr = (ulong)entries;
        registration.RingEntries = (uint)count;
        registration.Bgid = groupId;
        int result = ring.Register(RegisterPbufRing, &registration, 1);
        if (result < 0)
        {
            NativeMemory.AlignedFree(entries);
            ring.UnmapBuffers(memory, (nuint)count * (nuint)bufferSize);
            whyNot = $"io_uring_register(PBUF_RING) failed with errno {-result}";
            return null;
        }
        whyNot = null;
        return new ProvidedBufferRing(ring, groupId, count, bufferSize, entries, memory);
    }

    /// <summary>The first <paramref name="length"/> bytes of buffer <paramref name="id"/> (what a completion filled).</summary>
    public ReadOnlySpan<byte> Filled(ushort id, int length) => new(_memory + (nint)id * BufferSize, length);

    /// <summary>Gives buffer <paramref name="id"/> back: it is the next one published (at once if the window has room).</summary>
    public void Return(ushort id)
    {
        _parked[_parkedCount++] = id;
        Publish();
    }

    /// <summary>Notes that the kernel took a buffer (a completion named it); the window is filled again.</summary>
    public void Taken()
    {
        _published--;
        Publish();
    }

    /// <summary>A receive found no buffer published (ENOBUFS): publish twice as many from now on.</summary>
    public void Starved()
    {
        if (Window == Count) return;
        Window = Math.Min(Count, Window * 2);
        Publish();
    }

    /// <summary>Publishes parked buffers, most recently returned first, until the window is full; one release-store of the tail.</summary>
    private void Publish()
    {
        if (_published >= Window || _parkedCount == 0) return;
        do
        {
            ushort id = _parked[--_parkedCount];
            ref var entry = ref _entries[_tail & _mask];
            entry.Addr = (ulong)(_memory + (nint)id * BufferSize);
            entry.Len = (uint)BufferSize;
            entry.Bid = id;
            _tail++;
            _published++;
        }
        while (_published < Window && _parkedCount > 0);
        // The tail overlays entry 0's resv field; the kernel reads it with an acquire.
        Volatile.Write(ref _entries[0].Resv, _tail);
    }

    /// <summary>Unregisters the group and frees the memory (call only once no receive can still select from it).</summary>
    public void Dispose()
    {
        if (_entries is null) return;
        var registration = default(IoUringBufReg);
        registration.Bgid = GroupId;
        _ring.Register(UnregisterPbufRing, &registration, 1);
        NativeMemory.AlignedFree(_entries);
        _ring.UnmapBuffers(_memory, (nuint)Count * (nuint)BufferSize);
        _entries = null;
        _memory = null;
    }
}
