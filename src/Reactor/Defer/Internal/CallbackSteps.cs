namespace Reactor.Defer.Internal;

/// <summary>Converts the chain's untyped result into a callback's typed argument.</summary>
internal static class ChainValue
{
    /// <summary>
    /// A null result reaches a typed callback as <c>default</c>: after a Deferred has handed its result
    /// to a Deferred waiting on it, its own result is null (Twisted sets it to None).
    /// </summary>
    internal static T As<T>(object? value) => value is null ? default! : (T)value;
}

/// <summary>Runs a <see cref="Func{T, TResult}"/> callback.</summary>
internal sealed class FuncStep<T, TNext> : CallbackStep
{
    internal static readonly FuncStep<T, TNext> Instance = new();

    internal override object? Invoke(object target, object? argument) =>
        ((Func<T, TNext>)target)(ChainValue.As<T>(argument));
}

/// <summary>Runs a callback that returns a Deferred; the chain then waits on (or steals) that Deferred's result.</summary>
internal sealed class FuncDeferredStep<T, TNext> : CallbackStep
{
    internal static readonly FuncDeferredStep<T, TNext> Instance = new();

    internal override object? Invoke(object target, object? argument) =>
        ((Func<T, Deferred<TNext>?>)target)(ChainValue.As<T>(argument));
}

/// <summary>Runs an <see cref="Action{T}"/> callback; the result becomes null, as a Python function returning None.</summary>
internal sealed class ActionStep<T> : CallbackStep
{
    internal static readonly ActionStep<T> Instance = new();

    internal override object? Invoke(object target, object? argument)
    {
        ((Action<T>)target)(ChainValue.As<T>(argument));
        return null;
    }
}

/// <summary>Runs an errback that recovers with a value (or rethrows to stay on the error path).</summary>
internal sealed class ErrbackStep<T> : CallbackStep
{
    internal static readonly ErrbackStep<T> Instance = new();

    internal override object? Invoke(object target, object? argument) => ((Func<Failure, T>)target)((Failure)argument!);
}

/// <summary>Runs an errback that returns a Deferred to wait on.</summary>
internal sealed class ErrbackDeferredStep<T> : CallbackStep
{
    internal static readonly ErrbackDeferredStep<T> Instance = new();

    internal override object? Invoke(object target, object? argument) =>
        ((Func<Failure, Deferred<T>?>)target)((Failure)argument!);
}

/// <summary>Runs an <see cref="Action{Failure}"/> errback: the failure is handled and the result becomes <c>default</c>.</summary>
internal sealed class ErrbackActionStep<T> : CallbackStep
{
    internal static readonly ErrbackActionStep<T> Instance = new();

    internal override object? Invoke(object target, object? argument)
    {
        ((Action<Failure>)target)((Failure)argument!);
        return default(T);
    }
}

/// <summary>Runs an <c>AddBoth</c> callback with the raw result: the value or the <see cref="Failure"/>.</summary>
internal sealed class BothStep<TNext> : CallbackStep
{
    internal static readonly BothStep<TNext> Instance = new();

    internal override object? Invoke(object target, object? argument) => ((Func<object?, TNext>)target)(argument);
}

/// <summary>Runs an <c>AddBoth</c> callback that returns a Deferred to wait on.</summary>
internal sealed class BothDeferredStep<TNext> : CallbackStep
{
    internal static readonly BothDeferredStep<TNext> Instance = new();

    internal override object? Invoke(object target, object? argument) =>
        ((Func<object?, Deferred<TNext>?>)target)(argument);
}

/// <summary>Runs an <see cref="Action"/> on either path and passes the result through unchanged (a <c>finally</c>).</summary>
internal sealed class FinallyStep : CallbackStep
{
    internal static readonly FinallyStep Instance = new();

    internal override object? Invoke(object target, object? argument)
    {
        ((Action)target)();
        return argument;
    }
}

/// <summary>Fires another Deferred with the result and passes it through (Twisted's <c>chainDeferred</c>).</summary>
internal sealed class FireOtherStep : CallbackStep
{
    internal static readonly FireOtherStep Instance = new();

    internal override object? Invoke(object target, object? argument)
    {
        ((Deferred)target).StartRunCallbacks(argument);
        return null;
    }
}

/// <summary>
/// Marks the link a waiting Deferred appends to the Deferred it waits on (Twisted's <c>_CONTINUE</c>).
/// The chain runner recognises it and hands the result over without calling anything.
/// </summary>
internal sealed class ContinueStep : CallbackStep
{
    internal static readonly ContinueStep Instance = new();

    internal override object? Invoke(object target, object? argument) =>
        throw new InvalidOperationException("The continuation marker is handled by the chain runner.");
}
