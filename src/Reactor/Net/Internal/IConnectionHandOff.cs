using System.Net;

namespace Reactor.Net.Internal;

/// <summary>Where a listening port on one loop sends the connections it accepts for other loops.</summary>
internal interface IConnectionHandOff
{
    /// <summary>
    /// Takes the accepted <paramref name="fd"/> to another loop, which now owns it; false: the
    /// caller starts it on its own loop. Called on the accepting loop's thread.
    /// </summary>
    bool TryTake(int fd, IPEndPoint peer);
}
