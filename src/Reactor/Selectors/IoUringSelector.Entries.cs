using Reactor.Selectors.Internal;
using Reactor.Selectors.IoUring;

namespace Reactor.Selectors;

/// <summary>
/// Where the io_uring backend keeps its registrations: one entry per registration, at the index
/// its poll requests carry in their user data. The index is the token's slot (its low 32 bits) —
/// the reactor's tokens are <c>(generation &lt;&lt; 32) | slot</c> with slots dense from 0 and one per
/// descriptor, so for them a completion is resolved by the same index the loop's table uses.
/// </summary>
/// <remarks>
/// <see cref="ISelector"/> lets a caller pick any token, so a token whose slot cannot be used as it
/// stands falls back to an index of the selector's own (a free entry, looked for from the top down,
/// away from the dense slots): when the slot is held by another registration (two descriptors given
/// one token, or a registration that kept its index when <see cref="Modify"/> changed its token), or when it is so far
/// beyond the registrations there are that holding it would grow the array out of proportion (a
/// pointer or hash used as a token). Either way a completion is one array index and reports the
/// entry's token; only the fallback's search is linear, and only on registration.
/// The descriptor → index map is used by <see cref="Modify"/> and <see cref="Unregister"/>, which are
/// given only the descriptor, never on the event path.
/// </remarks>
internal sealed partial class IoUringSelector
{
    // A slot at or beyond this many entries past the current registrations is not held directly:
    // the reactor's next new slot is at most the number of slots in use (it reuses freed slots
    // first), so this never turns a reactor token away, and the array stays proportional to the
    // registrations (at most about twice their peak plus this).
    private const int SlotHeadroom = 64;

    private Entry[] _entries = new Entry[SlotHeadroom];
    private int[] _indexPlusOneByFd = new int[64]; // descriptor → entry index + 1; 0 when not registered
    private int _registered;
    private int _spareCursor; // where the search for a spare index resumes (downwards)

    private struct Entry
    {
        public int Fd;
        public bool Registered;
        public bool Armed;      // a POLL_ADD with Generation is in the kernel (or queued for it)
        public bool ArmQueued;  // listed in _toArm
        public Interest Interest;
        public uint Generation; // the arm generation, kept across uses of the index
        public long Token;
    }

    /// <summary>The entry index of <paramref name="fd"/>'s registration, or -1.</summary>
    private int IndexOf(int fd) =>
        (uint)fd < (uint)_indexPlusOneByFd.Length ? _indexPlusOneByFd[fd] - 1 : -1;

    /// <summary>The entry index of <paramref name="fd"/>'s registration, which must exist.</summary>
    private int Existing(int fd)
    {
        RegistrationTable.ValidateDescriptor(fd);
        int index = IndexOf(fd);
        if (index < 0) throw new InvalidOperationException($"Descriptor {fd} is not registered with this selector.");
        return index;
    }

    /// <summary>
    /// Chooses the entry for a new registration of <paramref name="fd"/> with <paramref name="token"/>
    /// (the token's slot where it is free and in proportion, else a spare one) and records it for the
    /// descriptor. The entry is free when this returns; the caller fills it.
    /// </summary>
    private int Place(int fd, long token)
    {
        DescriptorArrays.EnsureIndex(ref _indexPlusOneByFd, fd);
        uint slot = (uint)token;
        int index;
        if (slot < (uint)_entries.Length || slot < (long)_registered + SlotHeadroom)
        {
            DescriptorArrays.EnsureIndex(ref _entries, (int)slot);
            index = _entries[slot].Registered ? SpareIndex() : (int)slot;
        }
        else
        {
            index = SpareIndex();
        }
        _indexPlusOneByFd[fd] = index + 1;
        _registered++;
        return index;
    }

    /// <summary>Forgets <paramref name="fd"/>'s index (its entry was just marked unregistered).</summary>
    private void Release(int fd)
    {
        _indexPlusOneByFd[fd] = 0;
        _registered--;
    }

    /// <summary>
    /// A free entry for a token that cannot use its slot: searched from the top down (the reactor's
    /// slots fill from the bottom), resuming where the last search stopped; when every entry is
    /// registered the array doubles and the new top is taken.
    /// </summary>
    private int SpareIndex()
    {
        for (int tried = 0; tried < _entries.Length; tried++)
        {
            if (_spareCursor <= 0) _spareCursor = _entries.Length;
            int index = --_spareCursor;
            if (!_entries[index].Registered) return index;
        }
        int full = _entries.Length;
        Array.Resize(ref _entries, full * 2);
        _spareCursor = full * 2 - 1;
        return _spareCursor;
    }
}
