using Reactor.Errors;

namespace Reactor.Time;

/// <summary>A call scheduled with <see cref="IReactorTime.CallLater(TimeSpan, Action)"/> (Twisted's <c>IDelayedCall</c>).</summary>
public interface IDelayedCall
{
    /// <summary>The reactor time at which the call is due to run.</summary>
    TimeSpan GetTime();

    /// <summary>Prevents the call from running.</summary>
    /// <exception cref="AlreadyCalled">The call has already run.</exception>
    /// <exception cref="AlreadyCancelled">The call has already been cancelled.</exception>
    void Cancel();

    /// <summary>Reschedules the call to run <paramref name="delayFromNow"/> after the current reactor time.</summary>
    /// <exception cref="AlreadyCalled">The call has already run.</exception>
    /// <exception cref="AlreadyCancelled">The call has been cancelled.</exception>
    void Reset(TimeSpan delayFromNow);

    /// <summary>Postpones the call by <paramref name="delay"/> from its current due time.</summary>
    /// <exception cref="AlreadyCalled">The call has already run.</exception>
    /// <exception cref="AlreadyCancelled">The call has been cancelled.</exception>
    void Delay(TimeSpan delay);

    /// <summary>True while the call has neither run nor been cancelled.</summary>
    bool Active { get; }
}
