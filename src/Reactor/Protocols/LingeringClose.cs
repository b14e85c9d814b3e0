using Reactor.Time;

namespace Reactor.Protocols;

/// <summary>
/// A close that delivers the last words: the reply written before it reaches the peer even when the
/// peer is still sending (Apache's and nginx's "lingering close").
/// </summary>
/// <remarks>
/// Closing a socket that still holds unread input makes the kernel answer with RST at once and
/// discard what it had not yet sent: a final "line too long" or error reply written just before
/// <see cref="ITransport.LoseConnection"/> can vanish, and the peer sees only a reset. A lingering
/// close half-closes instead (the pending output, then FIN), keeps reading and dropping the peer's
/// input, and closes for good when the peer closes or after a bounded time, whichever comes first.
/// The protocol keeps receiving data meanwhile and should ignore it; the writes it makes are dropped.
/// </remarks>
public static class LingeringClose
{
    /// <summary>How long a lingering close drains the peer's input unless told otherwise: 2 s, as Reactor.Web's <c>LingerTimeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sends what is pending, then FIN, and reads and drops the peer's input until the peer closes
    /// or <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>) passes; then closes. A
    /// transport that cannot half-close is closed with <see cref="ITransport.LoseConnection"/>.
    /// </summary>
    /// <param name="transport">The connection to close.</param>
    /// <param name="clock">The reactor (or a clock in tests) that times the drain.</param>
    /// <param name="timeout">How long to drain at most; the total time is bounded by it plus the close timeout for the output.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> or <paramref name="clock"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public static void LoseConnectionLingering(this ITransport transport, IReactorTime clock, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(clock);
        var drain = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(drain, TimeSpan.Zero, nameof(timeout));
        if (transport is not IStreamTransport stream || transport.Disconnecting)
        {
            transport.LoseConnection();
            return;
        }
        stream.LoseWriteConnection();
        // The peer's FIN usually ends the connection first; this bounds a peer that keeps sending.
        // LoseConnection on a connection already gone does nothing.
        clock.CallLater(drain, transport.LoseConnection);
    }
}
