namespace Reactor.Selectors.Internal;

/// <summary>
/// What each registered descriptor asked for, in an array indexed by the descriptor number
/// (descriptors are small dense integers, so no dictionary is needed on the hot path).
/// </summary>
internal sealed class RegistrationTable
{
    private Registration[] _entries = new Registration[64];

    /// <summary>How many descriptors are registered.</summary>
    public int Count { get; private set; }

    /// <summary>True if <paramref name="fd"/> is registered.</summary>
    public bool Contains(int fd) => (uint)fd < (uint)_entries.Length && _entries[fd].IsRegistered;

    /// <summary>The registration of <paramref name="fd"/>; only valid when <see cref="Contains"/> is true.</summary>
    public ref Registration this[int fd] => ref _entries[fd];

    /// <summary>Records a new registration.</summary>
    /// <exception cref="InvalidOperationException">Already registered.</exception>
    public ref Registration Add(int fd, Interest interest, long token)
    {
        ValidateDescriptor(fd);
        ValidateToken(token);
        if (Contains(fd)) throw new InvalidOperationException($"Descriptor {fd} is already registered with this selector.");
        if (fd >= _entries.Length)
        {
            int size = _entries.Length;
            while (size <= fd) size *= 2;
            Array.Resize(ref _entries, size);
        }

        ref Registration entry = ref _entries[fd];
        entry = new Registration { IsRegistered = true, Interest = interest, Token = token, Slot = -1 };
        Count++;
        return ref entry;
    }

    /// <summary>The registration of <paramref name="fd"/>, which must exist.</summary>
    /// <exception cref="InvalidOperationException">Not registered.</exception>
    public ref Registration GetExisting(int fd)
    {
        ValidateDescriptor(fd);
        if (!Contains(fd)) throw new InvalidOperationException($"Descriptor {fd} is not registered with this selector.");
        return ref _entries[fd];
    }

    /// <summary>Forgets <paramref name="fd"/>; returns false if it was not registered.</summary>
    public bool Remove(int fd)
    {
        if (!Contains(fd)) return false;
        _entries[fd] = default;
        Count--;
        return true;
    }

    /// <summary>Rejects negative descriptors with an ArgumentOutOfRangeException naming the argument.</summary>
    public static void ValidateDescriptor(int fd)
    {
        if (fd < 0) throw new ArgumentOutOfRangeException(nameof(fd), fd, "A file descriptor is never negative.");
    }

    /// <summary>Rejects the token −1, which backends keep for their own wake-up descriptor.</summary>
    public static void ValidateToken(long token)
    {
        if (token == ReservedToken) throw new ArgumentOutOfRangeException(nameof(token), token, "The token -1 is reserved for the selector's wake-up.");
    }

    /// <summary>The one token a caller may not use (see <see cref="ISelector.Register"/>).</summary>
    public const long ReservedToken = -1;

    /// <summary>Rejects interest values outside <see cref="Interest.ReadWrite"/>.</summary>
    public static void ValidateInterest(Interest interest)
    {
        if ((interest & ~Interest.ReadWrite) != 0)
            throw new ArgumentOutOfRangeException(nameof(interest), interest, "Interest must be a combination of Read and Write.");
    }
}

/// <summary>One descriptor's registration.</summary>
internal struct Registration
{
    /// <summary>True while the descriptor is registered.</summary>
    public bool IsRegistered;

    /// <summary>What it is watched for.</summary>
    public Interest Interest;

    /// <summary>The caller's token.</summary>
    public long Token;

    /// <summary>Backend-specific position (the pollfd index, the dense-list index); −1 when unused.</summary>
    public int Slot;

    /// <summary>Backend-specific stamp (kqueue: the wait that last reported this descriptor).</summary>
    public int Mark;
}
