using Reactor.Selectors;

namespace Reactor.Core.Internal;

/// <summary>One watched descriptor: who reads it, who writes it, and what the selector was told.</summary>
internal struct DescriptorSlot
{
    internal int Fd;
    internal IReadDescriptor? Reader;
    internal IWriteDescriptor? Writer;
    internal Interest Interest;

    /// <summary>Bumped when the slot is freed, so events still in flight for its last use are recognised as stale.</summary>
    internal uint Generation;

    /// <summary>Next free slot while this one is free.</summary>
    internal int NextFree;

    internal readonly bool InUse => Reader is not null || Writer is not null;
}

/// <summary>
/// The reactor's handle table. A selector event's token is <c>(generation &lt;&lt; 32) | slot</c>, so
/// dispatch finds the descriptor by array index (no GCHandle, no boxing, no dictionary per event)
/// and drops events for a slot freed and reused within the same wait. A second array maps a file
/// descriptor number to its slot for AddReader/AddWriter.
/// </summary>
internal sealed class DescriptorTable
{
    private DescriptorSlot[] _slots = new DescriptorSlot[64];
    private int[] _slotPlusOneByFd = new int[256];
    private int _firstFree = -1;
    private int _used; // slots ever handed out (high-water mark)
    private int _live;

    internal int LiveCount => _live;

    internal int HighWater => _used;

    internal ref DescriptorSlot this[int slot] => ref _slots[slot];

    internal static long Token(int slot, uint generation) => ((long)generation << 32) | (uint)slot;

    /// <summary>The slot an event's token names, or -1 if the token is stale.</summary>
    internal int Resolve(long token)
    {
        int slot = (int)(token & 0xFFFF_FFFF);
        uint generation = (uint)((ulong)token >> 32);
        if ((uint)slot >= (uint)_used) return -1;
        ref var s = ref _slots[slot];
        return s.Generation == generation && s.InUse ? slot : -1;
    }

    internal int FindByFd(int fd)
    {
        if (fd < 0 || fd >= _slotPlusOneByFd.Length) return -1;
        return _slotPlusOneByFd[fd] - 1;
    }

    /// <summary>Finds the slot holding <paramref name="descriptor"/> as reader or writer: by its fd first, then by scanning (its fd may be closed, -1).</summary>
    internal int FindByDescriptor(IFileDescriptor descriptor, int fd)
    {
        int slot = FindByFd(fd);
        if (slot >= 0 && Holds(slot, descriptor)) return slot;
        for (int i = 0; i < _used; i++)
        {
            if (Holds(i, descriptor)) return i;
        }
        return -1;
    }

    internal int Allocate(int fd)
    {
        int slot;
        if (_firstFree >= 0)
        {
            slot = _firstFree;
            _firstFree = _slots[slot].NextFree;
        }
        else
        {
            if (_used == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
            slot = _used++;
        }
        ref var s = ref _slots[slot];
        s.Fd = fd;
        s.Interest = Interest.None;
        s.NextFree = -1;
        if (fd >= _slotPlusOneByFd.Length)
        {
            Array.Resize(ref _slotPlusOneByFd, Math.Max(fd + 1, _slotPlusOneByFd.Length * 2));
        }
        _slotPlusOneByFd[fd] = slot + 1;
        _live++;
        return slot;
    }

    internal void Free(int slot)
    {
        ref var s = ref _slots[slot];
        if (s.Fd >= 0 && s.Fd < _slotPlusOneByFd.Length && _slotPlusOneByFd[s.Fd] == slot + 1)
        {
            _slotPlusOneByFd[s.Fd] = 0;
        }
        s.Reader = null;
        s.Writer = null;
        s.Interest = Interest.None;
        s.Fd = -1;
        unchecked { s.Generation++; }
        s.NextFree = _firstFree;
        _firstFree = slot;
        _live--;
    }

    private bool Holds(int slot, IFileDescriptor descriptor)
    {
        ref var s = ref _slots[slot];
        return ReferenceEquals(s.Reader, descriptor) || ReferenceEquals(s.Writer, descriptor);
    }
}
