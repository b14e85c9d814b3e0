namespace Reactor.Net.Processes;

/// <summary>What one descriptor of the child is connected to (a value of Twisted's <c>childFDs</c>).</summary>
public readonly record struct ChildFd
{
    private ChildFd(ChildFdKind kind, int parentFd)
    {
        Kind = kind;
        ParentFd = parentFd;
    }

    /// <summary>A pipe the child writes and we read (Twisted's <c>"r"</c>): its bytes arrive in <see cref="IProcessProtocol.ChildDataReceived"/>.</summary>
    public static ChildFd ReadFromChild { get; } = new(ChildFdKind.ReadFromChild, -1);

    /// <summary>A pipe we write and the child reads (Twisted's <c>"w"</c>): written with <see cref="IProcessTransport.WriteToChild"/>.</summary>
    public static ChildFd WriteToChild { get; } = new(ChildFdKind.WriteToChild, -1);

    /// <summary>
    /// The child gets a copy of our descriptor <paramref name="parentFd"/> (Twisted's integer value):
    /// a file, a socket (a listening socket for pre-forked workers), or our own stdout.
    /// </summary>
    public static ChildFd Inherit(int parentFd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parentFd);
        return new(ChildFdKind.Inherit, parentFd);
    }

    /// <summary>Which of the three this is.</summary>
    public ChildFdKind Kind { get; }

    /// <summary>For <see cref="ChildFdKind.Inherit"/>, our descriptor the child gets; otherwise −1.</summary>
    public int ParentFd { get; }

    /// <summary>The default map, as Twisted's: stdin written by us, stdout and stderr read by us.</summary>
    public static IReadOnlyDictionary<int, ChildFd> Default { get; } = new Dictionary<int, ChildFd>
    {
        [0] = WriteToChild,
        [1] = ReadFromChild,
        [2] = ReadFromChild,
    };

    /// <inheritdoc/>
    public override string ToString() => Kind == ChildFdKind.Inherit ? $"Inherit({ParentFd})" : Kind.ToString();
}

/// <summary>The kinds of <see cref="ChildFd"/>.</summary>
public enum ChildFdKind
{
    /// <summary>A pipe from the child to us.</summary>
    ReadFromChild,

    /// <summary>A pipe from us to the child.</summary>
    WriteToChild,

    /// <summary>A copy of one of our descriptors.</summary>
    Inherit,
}
