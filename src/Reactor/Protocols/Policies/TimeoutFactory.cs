using Reactor.Core;
using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Protocols.Policies;

/// <summary>
/// Closes connections that stay idle (nothing read, nothing written) for
/// <see cref="TimeoutPeriod"/> (Twisted's <c>TimeoutFactory</c>). Each protocol built by the
/// wrapped factory is wrapped in a <see cref="TimeoutProtocol"/>.
/// </summary>
public class TimeoutFactory : WrappingFactory
{
    /// <summary>Wraps <paramref name="wrappedFactory"/> with an idle timeout of <paramref name="timeoutPeriod"/>.</summary>
    /// <param name="wrappedFactory">The factory that builds the real protocols.</param>
    /// <param name="clock">The reactor (or a <see cref="Clock"/> in tests).</param>
    /// <param name="timeoutPeriod">How long a connection may stay idle. Defaults to 30 minutes, as Twisted.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutPeriod"/> is negative.</exception>
    public TimeoutFactory(IProtocolFactory wrappedFactory, IReactorTime clock, TimeSpan? timeoutPeriod = null)
        : base(wrappedFactory)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        TimeoutPeriod = timeoutPeriod ?? TimeSpan.FromMinutes(30);
        ArgumentOutOfRangeException.ThrowIfLessThan(TimeoutPeriod, TimeSpan.Zero, nameof(timeoutPeriod));
    }

    /// <summary>The clock that times the connections.</summary>
    public IReactorTime Clock { get; }

    /// <summary>How long a connection may stay idle.</summary>
    public TimeSpan TimeoutPeriod { get; }

    /// <inheritdoc/>
    protected override ProtocolWrapper WrapProtocol(IProtocol protocol) => new TimeoutProtocol(this, protocol, TimeoutPeriod);
}

/// <summary>
/// A wrapper that closes its connection after a period without traffic (Twisted's
/// <c>policies.TimeoutProtocol</c>): reads and writes restart the countdown.
/// </summary>
public class TimeoutProtocol : ProtocolWrapper
{
    private readonly IdleTimeout _timeout;

    /// <summary>Wraps <paramref name="wrappedProtocol"/>; the countdown starts at once.</summary>
    public TimeoutProtocol(TimeoutFactory factory, IProtocol wrappedProtocol, TimeSpan? timeoutPeriod)
        : base(factory, wrappedProtocol)
    {
        _timeout = new IdleTimeout(factory.Clock, TimeoutFunc);
        _timeout.SetTimeout(timeoutPeriod);
    }

    /// <summary>The idle timeout; null once cancelled.</summary>
    public TimeSpan? TimeoutPeriod => _timeout.Period;

    /// <summary>Restarts the countdown with <paramref name="timeoutPeriod"/>, or cancels it (null).</summary>
    public void SetTimeout(TimeSpan? timeoutPeriod) => _timeout.SetTimeout(timeoutPeriod);

    /// <summary>Cancels the countdown.</summary>
    public void CancelTimeout() => _timeout.SetTimeout(null);

    /// <summary>Restarts the countdown, because something happened on the connection.</summary>
    public void ResetTimeout() => _timeout.ResetTimeout();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        ResetTimeout();
        base.DataReceived(data);
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> data)
    {
        ResetTimeout();
        base.Write(data);
    }

    /// <inheritdoc/>
    public override void WriteSequence(System.Buffers.ReadOnlySequence<byte> data)
    {
        ResetTimeout();
        base.WriteSequence(data);
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Defer.Failure reason)
    {
        CancelTimeout();
        base.ConnectionLost(reason);
    }

    /// <summary>Called when the connection has been idle for the whole period. The default closes it.</summary>
    protected virtual void TimeoutFunc() => LoseConnection();
}
