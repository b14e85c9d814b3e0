using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Time;
using Reactor.Protocols.Internal;

namespace Reactor.Protocols;

/// <summary>
/// A client factory that reconnects with exponential back-off after a failed attempt or a lost
/// connection (Twisted's <c>ReconnectingClientFactory</c>). Each retry multiplies the delay by
/// <see cref="Factor"/> (capped at <see cref="MaxDelay"/>) and perturbs it by a normal variate of
/// relative width <see cref="Jitter"/>, so that many clients do not reconnect in lock-step.
/// </summary>
/// <remarks>
/// Call <see cref="ResetDelay"/> once a connection is established (usually from the protocol's
/// <c>ConnectionMade</c>) so that the next loss starts again from <see cref="InitialDelay"/>.
/// Call <see cref="StopTrying"/> to give up. Threading: every member is used on the reactor thread.
/// </remarks>
public class ReconnectingClientFactory : ClientFactory
{
    private readonly Random _random;
    private IDelayedCall? _pendingRetry;

    /// <summary>Creates a factory whose <see cref="Factory.BuildProtocol"/> must be overridden.</summary>
    /// <param name="clock">Schedules the retries (the reactor, or a test clock).</param>
    /// <param name="random">Source of jitter; a shared instance when null.</param>
    protected ReconnectingClientFactory(IReactorTime clock, Random? random = null)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _random = random ?? Random.Shared;
        Delay = InitialDelay;
    }

    /// <summary>Creates a reconnecting factory that calls <paramref name="build"/> for each connection.</summary>
    /// <param name="clock">Schedules the retries (the reactor, or a test clock).</param>
    /// <param name="build">Builds the protocol of each connection.</param>
    /// <param name="random">Source of jitter; a shared instance when null.</param>
    public ReconnectingClientFactory(IReactorTime clock, Func<IProtocol?> build, Random? random = null) : base(build)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _random = random ?? Random.Shared;
        Delay = InitialDelay;
    }

    /// <summary>Schedules the retries.</summary>
    public IReactorTime Clock { get; }

    /// <summary>Where abandoning is reported. Defaults to a logger that discards.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The delay before the first retry, and after <see cref="ResetDelay"/>.</summary>
    /// <remarks>Defaults to 1 s (Twisted's <c>initialDelay</c>).</remarks>
    public TimeSpan InitialDelay
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(InitialDelay));
            field = value;
        }
    } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts.</summary>
    /// <remarks>Defaults to one hour (Twisted's <c>maxDelay</c>).</remarks>
    public TimeSpan MaxDelay
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(MaxDelay));
            field = value;
        }
    } = TimeSpan.FromHours(1);

    /// <summary>How much the delay grows after each failed attempt.</summary>
    /// <remarks>Defaults to e (2.718…), as Twisted's <c>factor</c>.</remarks>
    public double Factor
    {
        get;
        set
        {
            if (!(value >= 1.0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(Factor), value, "The factor must be a finite number of at least 1.");
            field = value;
        }
    } = Math.E;

    /// <summary>
    /// The standard deviation of each delay relative to the delay itself (0 disables jitter).
    /// </summary>
    /// <remarks>Defaults to 0.119626565582, as Twisted's <c>jitter</c>.</remarks>
    public double Jitter
    {
        get;
        set
        {
            if (!(value >= 0.0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(Jitter), value, "The jitter must be a finite, non-negative number.");
            field = value;
        }
    } = 0.119626565582;

    /// <summary>How many retries to make before giving up; null retries for ever (the default).</summary>
    public int? MaxRetries
    {
        get;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "The retry limit cannot be negative.");
            field = value;
        }
    }

    /// <summary>The delay the last retry was scheduled with (the next one grows from it).</summary>
    public TimeSpan Delay { get; private set; }

    /// <summary>How many retries have been made since the last <see cref="ResetDelay"/>.</summary>
    public int Retries { get; private set; }

    /// <summary>False once <see cref="StopTrying"/> has been called (until <see cref="ResetDelay"/>).</summary>
    public bool ContinueTrying { get; private set; } = true;

    /// <summary>The connector of the last attempt, which retries reuse.</summary>
    public IConnector? Connector { get; private set; }

    /// <summary>Retries, unless <see cref="StopTrying"/> was called.</summary>
    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        if (!ContinueTrying) return;
        Connector = connector;
        Retry();
    }

    /// <summary>Retries, unless <see cref="StopTrying"/> was called.</summary>
    public override void ClientConnectionLost(IConnector connector, Failure reason)
    {
        if (!ContinueTrying) return;
        Connector = connector;
        Retry();
    }

    /// <summary>
    /// Schedules another attempt on <paramref name="connector"/> (or the last connector) after the
    /// next back-off delay, unless trying was stopped or <see cref="MaxRetries"/> is exhausted.
    /// </summary>
    /// <exception cref="InvalidOperationException">No connector is known yet.</exception>
    public void Retry(IConnector? connector = null)
    {
        if (!ContinueTrying) return;
        connector ??= Connector ?? throw new InvalidOperationException("There is no connector to retry: no attempt has been reported to this factory yet.");
        Retries++;
        if (MaxRetries is int max && Retries > max)
        {
            ProtocolLog.ReconnectAbandoned(Logger, connector.GetDestination(), Retries);
            return;
        }
        Delay = NextDelay(Delay);
        _pendingRetry = Clock.CallLater(Delay, () =>
        {
            _pendingRetry = null;
            connector.Connect();
        });
    }

    /// <summary>
    /// Gives up: cancels a scheduled retry and stops an attempt in progress. The factory will not
    /// reconnect again until <see cref="ResetDelay"/>.
    /// </summary>
    public void StopTrying()
    {
        if (_pendingRetry is { Active: true }) _pendingRetry.Cancel();
        _pendingRetry = null;
        ContinueTrying = false;
        if (Connector is null) return;
        try
        {
            Connector.StopConnecting();
        }
        catch (InvalidOperationException)
        {
            // Not connecting (connected, or between attempts): nothing to stop.
        }
    }

    /// <summary>
    /// Starts the back-off over from <see cref="InitialDelay"/> with no retries counted, and
    /// allows retrying again. Call it when a connection has been made.
    /// </summary>
    public void ResetDelay()
    {
        Delay = InitialDelay;
        Retries = 0;
        _pendingRetry = null;
        ContinueTrying = true;
    }

    private TimeSpan NextDelay(TimeSpan previous)
    {
        var seconds = Math.Min(previous.TotalSeconds * Factor, MaxDelay.TotalSeconds);
        if (Jitter > 0) seconds = NormalVariate(seconds, seconds * Jitter);
        // A normal variate can come out negative; a delay cannot.
        return TimeSpan.FromSeconds(Math.Max(0.0, seconds));
    }

    private double NormalVariate(double mean, double standardDeviation)
    {
        // Box-Muller: two uniforms in (0, 1] give one standard normal variate.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var standard = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return mean + standardDeviation * standard;
    }
}
