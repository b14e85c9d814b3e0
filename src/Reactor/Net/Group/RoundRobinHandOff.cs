using System.Net;
using Reactor.Net.Internal;

namespace Reactor.Net.Group;

/// <summary>
/// Deals accepted connections out to the loops of a group in turn: a null receiver is the
/// accepting loop itself, which starts its share without a thread hop.
/// </summary>
internal sealed class RoundRobinHandOff(HandOffReceiver?[] receivers) : IConnectionHandOff
{
    private int _next;

    /// <inheritdoc/>
    public bool TryTake(int fd, IPEndPoint peer)
    {
        // Only the accepting loop's thread deals, so the turn needs no interlocking.
        var receiver = receivers[_next];
        _next = _next + 1 == receivers.Length ? 0 : _next + 1;
        if (receiver is null) return false;
        receiver.Take(fd, peer);
        return true;
    }
}
