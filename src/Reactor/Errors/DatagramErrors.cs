using System.Net;

namespace Reactor.Errors;

/// <summary>
/// A datagram was larger than the path to its destination allows: the kernel refused it with
/// EMSGSIZE (Twisted's <c>MessageLengthError</c>). Nothing was sent.
/// </summary>
public class MessageLengthError : IOException
{
    /// <summary>Creates the error for a datagram of <paramref name="size"/> bytes against <paramref name="limit"/>.</summary>
    public MessageLengthError(int size, int limit, EndPoint? destination)
        : base($"A datagram of {size} bytes is larger than the {limit} bytes the path to {destination?.ToString() ?? "the peer"} allows (EMSGSIZE); it was not sent.")
    {
        Size = size;
        Limit = limit;
        Destination = destination;
    }

    /// <summary>The size of the datagram that was refused, in bytes.</summary>
    public int Size { get; }

    /// <summary>The largest datagram the path allows as far as the socket knows, in bytes.</summary>
    public int Limit { get; }

    /// <summary>Where the datagram was going (null for a connected socket whose peer is implied).</summary>
    public EndPoint? Destination { get; }
}

/// <summary>Joining or leaving a multicast group failed (Twisted's <c>MulticastJoinError</c>).</summary>
public class MulticastJoinError : Exception
{
    /// <summary>Creates the error naming the group and interface.</summary>
    public MulticastJoinError(IPAddress group, IPAddress? networkInterface, Exception? inner)
        : base($"Could not change membership of multicast group {group} on interface {networkInterface?.ToString() ?? "(any)"}: {inner?.Message}", inner)
    {
        Group = group;
        Interface = networkInterface;
    }

    /// <summary>The multicast group.</summary>
    public IPAddress Group { get; }

    /// <summary>The local interface address, or null for the kernel's choice.</summary>
    public IPAddress? Interface { get; }
}
