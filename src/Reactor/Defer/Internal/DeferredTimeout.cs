using Reactor.Errors;
using Reactor.Time;

namespace Reactor.Defer.Internal;

/// <summary>The state of one <c>AddTimeout</c>: the timer, and whether it is what cancelled the Deferred.</summary>
internal sealed class DeferredTimeout
{
    private readonly Deferred _deferred;
    private readonly TimeSpan _timeout;
    private bool _timedOut;

    internal DeferredTimeout(Deferred deferred, TimeSpan timeout)
    {
        _deferred = deferred;
        _timeout = timeout;
    }

    internal IDelayedCall? Call;

    internal void TimeOut()
    {
        _timedOut = true;
        _deferred.Cancel();
    }

    /// <summary>Converts the timeout's CancelledError into TimeoutError and stops the timer once the Deferred fired.</summary>
    internal sealed class Step : CallbackStep
    {
        internal static readonly Step Instance = new();

        internal override object? Invoke(object target, object? argument)
        {
            var state = (DeferredTimeout)target;
            if (state.Call is { Active: true } call) call.Cancel();
            if (state._timedOut && argument is Failure failure)
            {
                failure.Trap(typeof(CancelledError));
                throw new TimeoutError($"Deferred timed out after {state._timeout.TotalSeconds} seconds.", failure.Value);
            }
            return argument;
        }
    }
}
