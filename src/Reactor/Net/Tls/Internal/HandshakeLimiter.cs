namespace Reactor.Net.Tls.Internal;

/// <summary>
/// Counts the handshakes in progress on one listening port against
/// <see cref="TlsServerOptions.MaxConcurrentHandshakes"/>. Used on the reactor thread only.
/// </summary>
internal sealed class HandshakeLimiter
{
    private bool _refusing;

    /// <summary>A limiter allowing <paramref name="maximum"/> handshakes at once.</summary>
    public HandshakeLimiter(int maximum) => Maximum = maximum;

    /// <summary>How many handshakes may run at once.</summary>
    public int Maximum { get; }

    /// <summary>Handshakes started and not yet finished (completed, failed, timed out or lost).</summary>
    public int InProgress { get; private set; }

    /// <summary>Connections refused because <see cref="Maximum"/> handshakes were in progress.</summary>
    public long Refused { get; private set; }

    /// <summary>
    /// True when a new connection must be refused. The first refusal of a burst returns
    /// <paramref name="firstOfBurst"/> true, so the caller logs once per burst rather than once per connection.
    /// </summary>
    public bool ShouldRefuse(out bool firstOfBurst)
    {
        firstOfBurst = false;
        if (InProgress < Maximum) return false;
        Refused++;
        firstOfBurst = !_refusing;
        _refusing = true;
        return true;
    }

    /// <summary>A handshake starts.</summary>
    public void Enter() => InProgress++;

    /// <summary>A handshake that <see cref="Enter"/> counted has finished, one way or another.</summary>
    public void Exit()
    {
        InProgress--;
        if (InProgress < Maximum) _refusing = false;
    }
}
