using System.Runtime.CompilerServices;
using Reactor.Defer.Internal;

namespace Reactor.Defer;

/// <summary>Awaits a <see cref="Deferred{T}"/> (returned by <see cref="Deferred{T}.GetAwaiter"/>).</summary>
/// <typeparam name="T">The Deferred's result type.</typeparam>
public readonly struct DeferredAwaiter<T> : ICriticalNotifyCompletion
{
    private readonly Deferred<T> _deferred;
    private readonly AwaitOperation? _operation;

    internal DeferredAwaiter(Deferred<T> deferred, AwaitOperation? operation)
    {
        _deferred = deferred;
        _operation = operation;
    }

    /// <summary>True when the Deferred already had its result when awaited, so no waiting is needed.</summary>
    public bool IsCompleted => _operation is null || _operation.Done;

    /// <summary>Returns the result, or throws the failure's exception with its original stack.</summary>
    public T GetResult()
    {
        object? result;
        if (_operation is null)
        {
            // Already fired: read the result in place; awaiting counts as handling a failure.
            if (!_deferred.HasResult) throw new InvalidOperationException("The Deferred has no result yet; await it instead of calling GetResult.");
            result = _deferred.ChainResult;
            if (result is Failure) ((Deferred)_deferred).ClearUnhandledOfChain();
        }
        else
        {
            if (!_operation.Done) throw new InvalidOperationException("The Deferred has not fired yet.");
            result = _operation.Result;
        }
        if (result is Failure failure) failure.Rethrow();
        return ChainValue.As<T>(result);
    }

    /// <inheritdoc/>
    public void OnCompleted(Action continuation) => Register(continuation, flowExecutionContext: true);

    /// <inheritdoc/>
    public void UnsafeOnCompleted(Action continuation) => Register(continuation, flowExecutionContext: false);

    private void Register(Action continuation, bool flowExecutionContext)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (_operation is null)
        {
            continuation();
            return;
        }
        _operation.Register(_deferred.Owner, continuation, flowExecutionContext);
    }
}
