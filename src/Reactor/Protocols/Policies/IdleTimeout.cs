using Reactor.Core;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Protocols.Policies;

/// <summary>
/// An idle timeout a protocol composes (Twisted's <c>TimeoutMixin</c>; C# has no mixins): after
/// <see cref="Period"/> without a <see cref="ResetTimeout"/>, the action given at construction
/// runs — typically the protocol's own <c>TimeoutConnection</c>, which closes the connection.
/// </summary>
/// <example>
/// <code>
/// sealed class Session : LineReceiver
/// {
///     private readonly IdleTimeout _timeout;
///     public Session(IReactorTime clock) => _timeout = new IdleTimeout(clock, TimeoutConnection);
///     public override void ConnectionMade() => _timeout.SetTimeout(TimeSpan.FromSeconds(30));
///     public override void LineReceived(ReadOnlySpan&lt;byte&gt; line) { _timeout.ResetTimeout(); ... }
///     public override void ConnectionLost(Failure reason) { _timeout.Dispose(); base.ConnectionLost(reason); }
///     private void TimeoutConnection() => Transport.LoseConnection();
/// }
/// </code>
/// </example>
/// <remarks>Threading: use it from the reactor thread only, as the protocol itself.</remarks>
public sealed class IdleTimeout : IDisposable
{
    private readonly IReactorTime _clock;
    private readonly Action _timeoutConnection;
    private readonly Action _fire;
    private IDelayedCall? _call;

    /// <summary>Creates a timeout, not running yet.</summary>
    /// <param name="clock">The reactor (or a <see cref="Clock"/> in tests).</param>
    /// <param name="timeoutConnection">What to do when the timeout expires.</param>
    public IdleTimeout(IReactorTime clock, Action timeoutConnection)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _timeoutConnection = timeoutConnection ?? throw new ArgumentNullException(nameof(timeoutConnection));
        _fire = Fire;
    }

    /// <summary>The timeout period, or null when there is none (Twisted's <c>timeOut</c>).</summary>
    public TimeSpan? Period { get; private set; }

    /// <summary>True while a countdown is running.</summary>
    public bool Pending => _call is { Active: true };

    /// <summary>
    /// Sets the period and restarts the countdown with it; null cancels the timeout. Returns the
    /// previous period (Twisted's <c>setTimeout</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is negative.</exception>
    public TimeSpan? SetTimeout(TimeSpan? period)
    {
        if (period is { } p) ArgumentOutOfRangeException.ThrowIfLessThan(p, TimeSpan.Zero, nameof(period));
        var previous = Period;
        Period = period;
        if (_call is { Active: true } call)
        {
            if (period is { } restart) call.Reset(restart);
            else
            {
                call.Cancel();
                _call = null;
            }
        }
        else if (period is { } start)
        {
            _call = _clock.CallLater(start, _fire);
        }
        return previous;
    }

    /// <summary>
    /// Restarts the countdown (call it on activity). Does nothing when no countdown is running,
    /// including after the timeout has fired, until <see cref="SetTimeout"/> is called again.
    /// </summary>
    public void ResetTimeout()
    {
        if (Period is { } period && _call is { Active: true } call) call.Reset(period);
    }

    /// <summary>Cancels the countdown and forgets the period.</summary>
    public void Dispose() => SetTimeout(null);

    private void Fire()
    {
        _call = null;
        _timeoutConnection();
    }
}
