using Reactor.Selectors;

namespace Reactor.Core.Internal;

/// <summary>One watched descriptor: who reads it and who writes it.</summary>
internal struct DescriptorSlot
{
    internal int Fd;
    internal IReadDescriptor? Reader;
    internal IWriteDescriptor? Writer;

    /// <summary>Bumped when the slot is freed, so tokens of its last use (in the kernel, in a batch, in a holder) go stale.</summary>
    internal uint Generation;

    /// <summary>Next free slot while this one is free.</summary>
    internal int NextFree;

    internal readonly bool InUse => Reader is not null || Writer is not null;

    /// <summary>
    /// What the selector is told: derived from who is watching, so the interest is stored once
    /// (the reader and writer references) and can never disagree with them.
    /// </summary>
    internal readonly Interest Interest =>
        (Reader is not null ? Interest.Read : Interest.None) | (Writer is not null ? Interest.Write : Interest.None);
}

/// <summary>
/// The reactor's handle table. A selector event's token is <c>(generation &lt;&lt; 32) | slot</c>; the
/// backends hand it to the kernel (epoll data, kevent udata; io_uring's poll user data carries the
/// slot with an arm generation of its own) and get it back with each event, so
/// dispatch finds the descriptor by one array index and drops events for a slot freed and reused
/// since (the generation differs). Descriptors of the reactor's own transports hold their token
/// (<see cref="ISlotHolder"/>), so starting and stopping reading or writing is O(1) without a search.
/// </summary>
internal sealed class DescriptorTable
{
    private DescriptorSlot[] _slots = new DescriptorSlot[64];

    // File descriptor number → slot + 1. Needed because Twisted lets a reader and a different writer
    // object share one descriptor number, and a selector registers a number only once.
    private int[] _slotPlusOneByFd = new int[256];

    // Descriptors that cannot hold their token (user implementations of IReadDescriptor/IWriteDescriptor):
    // found by reference, since their FileDescriptor may already read -1 when they are removed.
    private readonly Dictionary<IFileDescriptor, int> _foreign = new(ReferenceEqualityComparer.Instance);

    private int _firstFree = -1;
    private int _used; // slots ever handed out (high-water mark)

    internal int HighWater => _used;

    internal ref DescriptorSlot this[int slot] => ref _slots[slot];

    internal static long Token(int slot, uint generation) => ((long)generation << 32) | (uint)slot;

    /// <summary>The token of <paramref name="slot"/>'s current use.</summary>
    internal long TokenOf(int slot) => Token(slot, _slots[slot].Generation);

    /// <summary>The slot an event's token names, or -1 if the token is stale.</summary>
    internal int Resolve(long token)
    {
        int slot = (int)(uint)token;
        if ((uint)slot >= (uint)_used) return -1;
        ref var s = ref _slots[slot];
        return s.Generation == (uint)((ulong)token >> 32) && s.InUse ? slot : -1;
    }

    /// <summary>The slot holding <paramref name="descriptor"/> as reader or writer, or -1: O(1) for every kind of descriptor.</summary>
    internal int Find(IFileDescriptor descriptor)
    {
        if (descriptor is ISlotHolder holder)
        {
            int slot = Resolve(holder.SlotToken);
            return slot >= 0 && Holds(slot, descriptor) ? slot : -1;
        }
        return _foreign.TryGetValue(descriptor, out int found) ? found : -1;
    }

    /// <summary>The slot <paramref name="descriptor"/> (whose number is <paramref name="fd"/>) joins: its own, one sharing the number, or a new one.</summary>
    internal int FindOrAllocate(IFileDescriptor descriptor, int fd)
    {
        int slot = Find(descriptor);
        if (slot >= 0 && _slots[slot].Fd == fd) return slot;
        slot = (uint)fd < (uint)_slotPlusOneByFd.Length ? _slotPlusOneByFd[fd] - 1 : -1;
        return slot >= 0 ? slot : Allocate(fd);
    }

    /// <summary>Records that <paramref name="descriptor"/> now reads or writes through <paramref name="slot"/>.</summary>
    internal void Attach(int slot, IFileDescriptor descriptor)
    {
        if (descriptor is ISlotHolder holder) holder.SlotToken = TokenOf(slot);
        else _foreign[descriptor] = slot;
    }

    /// <summary>Forgets <paramref name="descriptor"/>'s link to <paramref name="slot"/> once it neither reads nor writes there.</summary>
    internal void DetachIfUnused(int slot, IFileDescriptor descriptor)
    {
        if (descriptor is ISlotHolder || Holds(slot, descriptor)) return;
        _foreign.Remove(descriptor);
    }

    /// <summary>Frees <paramref name="slot"/>: its reader and writer are dropped and its tokens go stale.</summary>
    internal void Free(int slot)
    {
        ref var s = ref _slots[slot];
        if ((uint)s.Fd < (uint)_slotPlusOneByFd.Length && _slotPlusOneByFd[s.Fd] == slot + 1) _slotPlusOneByFd[s.Fd] = 0;
        if (s.Reader is not null and not ISlotHolder) _foreign.Remove(s.Reader);
        if (s.Writer is not null and not ISlotHolder) _foreign.Remove(s.Writer);
        s.Reader = null;
        s.Writer = null;
        s.Fd = -1;
        unchecked { s.Generation++; }
        s.NextFree = _firstFree;
        _firstFree = slot;
    }

    private int Allocate(int fd)
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
        s.NextFree = -1;
        if (fd >= _slotPlusOneByFd.Length) Array.Resize(ref _slotPlusOneByFd, Math.Max(fd + 1, _slotPlusOneByFd.Length * 2));
        _slotPlusOneByFd[fd] = slot + 1;
        return slot;
    }

    private bool Holds(int slot, IFileDescriptor descriptor)
    {
        ref var s = ref _slots[slot];
        return ReferenceEquals(s.Reader, descriptor) || ReferenceEquals(s.Writer, descriptor);
    }
}
