using System.Net.Sockets;

namespace Reactor.Selectors;

/// <summary>
/// One registration with a <see cref="DescriptorSelector"/>: the descriptor, what it is watched
/// for, and the caller's data (Python's <c>selectors.SelectorKey</c>).
/// </summary>
public sealed class SelectorKey
{
    internal SelectorKey(int fd, Socket? socket, Interest interest, object? data, int slot, int generation)
    {
        Fd = fd;
        Socket = socket;
        Interest = interest;
        Data = data;
        Slot = slot;
        Generation = generation;
    }

    /// <summary>The file descriptor being watched.</summary>
    public int Fd { get; }

    /// <summary>The socket that was registered, or null when a raw descriptor was.</summary>
    public Socket? Socket { get; }

    /// <summary>What the descriptor is watched for.</summary>
    public Interest Interest { get; internal set; }

    /// <summary>The caller's data, given at registration or by the last <see cref="DescriptorSelector.Modify(int, Interest, object?)"/>.</summary>
    public object? Data { get; internal set; }

    /// <summary>True once unregistered (or the selector disposed).</summary>
    public bool IsUnregistered { get; internal set; }

    internal int Slot { get; }

    internal int Generation { get; }

    internal long Token => ((long)Generation << 32) | (uint)Slot;

    /// <summary>"fd 7 (Read) data=...".</summary>
    public override string ToString() => $"fd {Fd} ({Interest}) data={Data ?? "null"}";
}

/// <summary>One result of <see cref="DescriptorSelector.Select(TimeSpan?)"/>: a key and what is ready.</summary>
/// <param name="Key">The registration.</param>
/// <param name="Events">What is ready.</param>
public readonly record struct SelectedKey(SelectorKey Key, SelectorEvents Events);
