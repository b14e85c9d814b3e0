using System.Net.Sockets;

namespace Reactor.Selectors;

/// <summary>
/// A high-level selector in the manner of Python's <c>selectors</c> module: register a
/// <see cref="Socket"/> or a raw file descriptor with any data object, wait, and get back the keys
/// that are ready. A thin layer over an <see cref="ISelector"/> backend. Not thread-safe, except
/// <see cref="Wake"/>.
/// </summary>
/// <remarks>
/// The keys returned by one <see cref="Select(TimeSpan?)"/> are fixed when it returns: unregistering
/// a key while processing that batch is safe, and the key's <see cref="SelectorKey.IsUnregistered"/>
/// then tells the loop to skip its entry. No later Select reports it.
/// </remarks>
/// <example>
/// <code>
/// using var selector = new DescriptorSelector();
/// selector.Register(listener, Interest.Read, "listener");
/// foreach (var (key, events) in selector.Select(TimeSpan.FromSeconds(1)))
///     Console.WriteLine($"{key.Data}: {events}");
/// </code>
/// </example>
public sealed class DescriptorSelector : IDisposable
{
    private readonly ISelector _backend;
    private readonly Dictionary<int, SelectorKey> _byFd = [];
    private readonly Stack<int> _freeSlots = new();
    private SelectorKey?[] _slots = new SelectorKey?[16];
    private int _slotCount;
    private int _nextGeneration;
    private SelectorEvent[] _events = new SelectorEvent[64];
    private bool _disposed;

    /// <summary>Creates a selector over the backend <see cref="SelectorFactory.Create"/> picks for <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentException"><c>REACTOR_SELECTOR</c> holds an unknown name.</exception>
    /// <exception cref="PlatformNotSupportedException">The backend does not exist here.</exception>
    public DescriptorSelector(SelectorKind? kind = null)
        : this(SelectorFactory.Create(kind))
    {
    }

    /// <summary>Creates a selector over <paramref name="backend"/>, which it then owns and disposes.</summary>
    public DescriptorSelector(ISelector backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
    }

    /// <summary>The backend in use.</summary>
    public SelectorKind Kind => _backend.Kind;

    /// <summary>How many descriptors are registered.</summary>
    public int Count => _byFd.Count;

    /// <summary>Every current registration (Python's <c>get_map()</c>).</summary>
    public IReadOnlyCollection<SelectorKey> Keys => _byFd.Values;

    /// <summary>Starts watching <paramref name="socket"/>.</summary>
    /// <exception cref="ArgumentException">It is already registered.</exception>
    /// <exception cref="ObjectDisposedException">The socket was closed.</exception>
    public SelectorKey Register(Socket socket, Interest interest, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return Add(DescriptorOf(socket), socket, interest, data);
    }

    /// <summary>Starts watching the raw descriptor <paramref name="fd"/>.</summary>
    /// <exception cref="ArgumentException">It is already registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative.</exception>
    public SelectorKey Register(int fd, Interest interest, object? data = null)
    {
        if (fd < 0) throw new ArgumentOutOfRangeException(nameof(fd), fd, "A file descriptor is never negative.");
        return Add(fd, null, interest, data);
    }

    /// <summary>Changes what <paramref name="socket"/> is watched for and its data.</summary>
    /// <exception cref="KeyNotFoundException">It is not registered.</exception>
    public SelectorKey Modify(Socket socket, Interest interest, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return Modify(DescriptorOf(socket), interest, data);
    }

    /// <summary>Changes what <paramref name="fd"/> is watched for and its data.</summary>
    /// <exception cref="KeyNotFoundException">It is not registered.</exception>
    public SelectorKey Modify(int fd, Interest interest, object? data = null)
    {
        SelectorKey key = GetKey(fd);
        _backend.Modify(fd, interest, key.Token);
        key.Interest = interest;
        key.Data = data;
        return key;
    }

    /// <summary>Stops watching <paramref name="socket"/> and returns its key. Call this before closing the socket.</summary>
    /// <exception cref="KeyNotFoundException">It is not registered.</exception>
    public SelectorKey Unregister(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return Unregister(DescriptorOf(socket));
    }

    /// <summary>Stops watching <paramref name="fd"/> and returns its key.</summary>
    /// <exception cref="KeyNotFoundException">It is not registered.</exception>
    public SelectorKey Unregister(int fd)
    {
        SelectorKey key = GetKey(fd);
        _backend.Unregister(fd);
        _byFd.Remove(fd);
        _slots[key.Slot] = null;
        _freeSlots.Push(key.Slot);
        key.IsUnregistered = true;
        return key;
    }

    /// <summary>The key of <paramref name="socket"/>.</summary>
    /// <exception cref="KeyNotFoundException">It is not registered.</exception>
    public SelectorKey GetKey(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return GetKey(DescriptorOf(socket));
    }

    /// <summary>The key of <paramref name="fd"/>.</summary>
    /// <exception cref="KeyNotFoundException">It is not registered.</exception>
    public SelectorKey GetKey(int fd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _byFd.TryGetValue(fd, out SelectorKey? key)
            ? key
            : throw new KeyNotFoundException($"Descriptor {fd} is not registered with this selector.");
    }

    /// <summary>The key of <paramref name="fd"/>, if registered.</summary>
    public bool TryGetKey(int fd, out SelectorKey? key)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _byFd.TryGetValue(fd, out key);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> (null: without limit) and returns the ready keys in a
    /// new list (empty on timeout or <see cref="Wake"/>). Use <see cref="Select(Span{SelectedKey}, TimeSpan?)"/>
    /// to wait without allocating.
    /// </summary>
    public IReadOnlyList<SelectedKey> Select(TimeSpan? timeout = null)
    {
        var ready = new SelectedKey[Math.Max(1, Math.Min(Count, 1024))];
        int count = Select(ready, timeout);
        return count == ready.Length ? ready : ready[..count];
    }

    /// <summary>Waits up to <paramref name="timeout"/> and writes the ready keys into <paramref name="ready"/>, allocating nothing.</summary>
    /// <returns>How many keys were written.</returns>
    /// <exception cref="ArgumentException"><paramref name="ready"/> is empty.</exception>
    public int Select(Span<SelectedKey> ready, TimeSpan? timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ready.IsEmpty) throw new ArgumentException("The span must have room for at least one key.", nameof(ready));
        if (_events.Length < ready.Length) _events = new SelectorEvent[ready.Length];
        int reported = _backend.Wait(_events.AsSpan(0, ready.Length), timeout);
        int count = 0;
        for (int i = 0; i < reported; i++)
        {
            long token = _events[i].Token;
            int slot = (int)(uint)token;
            SelectorKey? key = (uint)slot < (uint)_slotCount ? _slots[slot] : null;
            if (key is null || key.Generation != (int)(token >> 32)) continue;
            SelectorEvents events = _events[i].Events & Asked(key.Interest);
            if (events != SelectorEvents.None) ready[count++] = new SelectedKey(key, events);
        }

        return count;
    }

    /// <summary>Makes a current or the next <see cref="Select(TimeSpan?)"/> return promptly. Safe from any thread.</summary>
    public void Wake() => _backend.Wake();

    /// <summary>Marks every key unregistered and disposes the backend; the descriptors stay open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (SelectorKey key in _byFd.Values) key.IsUnregistered = true;
        _byFd.Clear();
        _backend.Dispose();
    }

    private static int DescriptorOf(Socket socket) => (int)socket.Handle;

    // A backend may report a hang-up or error as readiness in both directions (ISelector's contract);
    // a key shows only the directions it asked for, plus the hang-up and error themselves.
    private static SelectorEvents Asked(Interest interest) =>
        SelectorEvents.HangUp | SelectorEvents.Error |
        ((interest & Interest.Read) != 0 ? SelectorEvents.Readable : SelectorEvents.None) |
        ((interest & Interest.Write) != 0 ? SelectorEvents.Writable : SelectorEvents.None);

    private SelectorKey Add(int fd, Socket? socket, Interest interest, object? data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_byFd.ContainsKey(fd)) throw new ArgumentException($"Descriptor {fd} is already registered with this selector.", socket is null ? nameof(fd) : nameof(socket));
        int slot;
        if (_freeSlots.Count > 0)
        {
            slot = _freeSlots.Pop();
        }
        else
        {
            if (_slotCount == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
            slot = _slotCount++;
        }

        // A new generation per registration: an event carrying an older token for a reused slot is dropped.
        var key = new SelectorKey(fd, socket, interest, data, slot, ++_nextGeneration);
        try
        {
            _backend.Register(fd, interest, key.Token);
        }
        catch
        {
            _freeSlots.Push(slot);
            throw;
        }

        _slots[slot] = key;
        _byFd.Add(fd, key);
        return key;
    }
}
