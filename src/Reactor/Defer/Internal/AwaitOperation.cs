namespace Reactor.Defer.Internal;

/// <summary>
/// One pending <c>await</c> of a Deferred: the link it adds to the chain, the result it takes from it,
/// and where the awaiting code resumes. Only awaits that actually wait allocate one.
/// </summary>
internal sealed class AwaitOperation
{
    private Action? _continuation;
    private SynchronizationContext? _context;
    private ExecutionContext? _executionContext;
    private AsyncMethodContext? _asyncMethod;
    private Deferred? _awaited;

    /// <summary>The result taken from the chain, once <see cref="Done"/>.</summary>
    internal object? Result;

    /// <summary>True once the chain reached this await's link.</summary>
    internal bool Done;

    internal void Register(Deferred awaited, Action continuation, bool flowExecutionContext)
    {
        if (_continuation is not null) throw new InvalidOperationException("An awaiter can be awaited only once.");
        _continuation = continuation;
        var context = SynchronizationContext.Current;
        // The base SynchronizationContext just means "no context" (as Task treats it).
        _context = context is not null && context.GetType() != typeof(SynchronizationContext) ? context : null;
        if (flowExecutionContext) _executionContext = ExecutionContext.Capture();
        _awaited = awaited;
        _asyncMethod = AsyncMethodContext.Current;
        _asyncMethod?.StartAwaiting(awaited);
        awaited.AddPair(CallbackPair.Both(this, Step.Instance));
    }

    private void Resume()
    {
        _asyncMethod?.StopAwaiting(_awaited!);
        var context = _context;
        if (context is not null && !ReferenceEquals(SynchronizationContext.Current, context))
        {
            context.Post(static state => ((AwaitOperation)state!).RunContinuation(), this);
        }
        else
        {
            RunContinuation();
        }
    }

    private void RunContinuation()
    {
        var continuation = _continuation!;
        var executionContext = _executionContext;
        if (executionContext is null)
        {
            continuation();
        }
        else
        {
            ExecutionContext.Run(executionContext, static state => ((Action)state!)(), continuation);
        }
    }

    /// <summary>Takes the result (the chain continues with null, as after Twisted's await) and resumes the awaiter.</summary>
    private sealed class Step : CallbackStep
    {
        internal static readonly Step Instance = new();

        internal override object? Invoke(object target, object? argument)
        {
            var operation = (AwaitOperation)target;
            operation.Result = argument;
            operation.Done = true;
            operation.Resume();
            return null;
        }
    }
}
