namespace Reactor.Net;

/// <summary>How a <see cref="ReactorGroup"/> listener spreads the connections it accepts over its loops.</summary>
public enum GroupListenMode
{
    /// <summary>
    /// <see cref="ReusePort"/> on Linux (the kernel balances SO_REUSEPORT sockets there), else
    /// <see cref="HandOff"/> (macOS and most BSDs give SO_REUSEPORT connections to one socket only).
    /// </summary>
    Default,

    /// <summary>
    /// One listening socket per loop, all bound to the same address with SO_REUSEPORT: each loop
    /// accepts its own connections and the kernel picks the socket by a hash of the connection's
    /// addresses. No thread hop per connection; the spread is statistical, not strict turns.
    /// </summary>
    ReusePort,

    /// <summary>
    /// One listening socket on the first loop, which accepts and deals the connections out to the
    /// loops in strict turns (its own share it keeps); a connection is handed over before any of its
    /// callbacks run. Works wherever the engine does; costs one cross-thread hand-off per connection.
    /// </summary>
    HandOff,
}
