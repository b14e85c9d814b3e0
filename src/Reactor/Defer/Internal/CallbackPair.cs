namespace Reactor.Defer.Internal;

/// <summary>
/// Knows how to call one kind of callback target with the chain's current result. Steps are
/// stateless singletons (one per delegate type), so adding a callback stores two references
/// instead of allocating a closure that adapts the typed delegate to the untyped chain.
/// </summary>
internal abstract class CallbackStep
{
    /// <summary>Calls <paramref name="target"/> with <paramref name="argument"/>; the return value becomes the chain's result.</summary>
    internal abstract object? Invoke(object target, object? argument);
}

/// <summary>
/// One link of a chain: what to run when the incoming result is a success and what to run when it
/// is a <see cref="Failure"/> (Twisted's <c>(callback, errback)</c> tuple). A side whose step is null
/// passes the result through unchanged.
/// </summary>
internal struct CallbackPair
{
    internal object? Callback;
    internal CallbackStep? CallbackStep;
    internal object? Errback;
    internal CallbackStep? ErrbackStep;

    internal CallbackPair(object? callback, CallbackStep? callbackStep, object? errback, CallbackStep? errbackStep)
    {
        Callback = callback;
        CallbackStep = callbackStep;
        Errback = errback;
        ErrbackStep = errbackStep;
    }

    /// <summary>The same target and step on both sides (Twisted's <c>addBoth</c>).</summary>
    internal static CallbackPair Both(object target, CallbackStep step) => new(target, step, target, step);
}
