namespace Reactor.Defer.Internal;

/// <summary>Completes a <see cref="TaskCompletionSource{T}"/> from the chain's result (<c>ToTask</c>); the failure counts as handled.</summary>
internal sealed class TaskCompletionStep<T> : CallbackStep
{
    internal static readonly TaskCompletionStep<T> Instance = new();

    internal override object? Invoke(object target, object? argument)
    {
        var source = (TaskCompletionSource<T>)target;
        if (argument is Failure failure)
        {
            source.TrySetException(failure.Value);
        }
        else
        {
            source.TrySetResult(ChainValue.As<T>(argument));
        }
        return null;
    }
}
