using Reactor.Time;

namespace Reactor.Defer.Internal;

/// <summary>A Deferred fired by a timer, whose cancellation cancels the timer (the core of <c>DeferLater</c>).</summary>
internal sealed class DeferredTimer
{
    private readonly IDelayedCall _call;

    internal readonly Deferred<object?> Deferred;

    internal DeferredTimer(IReactorTime clock, TimeSpan delay)
    {
        Deferred = new Deferred<object?>(_ => _call!.Cancel());
        _call = clock.CallLater(delay, Fire);
    }

    private void Fire() => Deferred.Callback(null);
}
