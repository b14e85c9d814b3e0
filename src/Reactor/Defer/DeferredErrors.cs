namespace Reactor.Defer;

/// <summary>A Deferred was fired twice (Twisted's <c>AlreadyCalledError</c>).</summary>
public class AlreadyCalledError : InvalidOperationException
{
    /// <summary>Creates the error; with <see cref="Deferred.Debug"/> on, <paramref name="debugInfo"/> names where the Deferred was created and first fired.</summary>
    public AlreadyCalledError(string? debugInfo = null)
        : base(string.IsNullOrEmpty(debugInfo) ? "The Deferred has already been called." : "The Deferred has already been called." + Environment.NewLine + debugInfo)
        => DebugInfo = debugInfo;

    /// <summary>The creator (" C:") and first-invoker (" I:") stacks, when debugging was on; otherwise null.</summary>
    public string? DebugInfo { get; }
}

/// <summary>
/// The Deferred was cancelled (Twisted's <c>CancelledError</c>). It derives from
/// <see cref="OperationCanceledException"/> so .NET code that catches cancellation catches it too.
/// </summary>
public class CancelledError : OperationCanceledException
{
    /// <summary>Creates the error.</summary>
    public CancelledError(string message = "The Deferred was cancelled.") : base(message) { }
}

/// <summary>
/// The first failure among a group of Deferreds (Twisted's <c>FirstError</c>), raised by
/// <c>DeferredList</c> with <c>fireOnOneErrback</c> and by <c>Deferred.GatherResults</c>.
/// </summary>
public class FirstError : Exception
{
    /// <summary>Creates the error for the failure of input <paramref name="index"/>.</summary>
    public FirstError(Failure subFailure, int index)
        : base(Describe(subFailure, index), subFailure.Value)
    {
        SubFailure = subFailure;
        Index = index;
    }

    /// <summary>The failure of the input Deferred.</summary>
    public Failure SubFailure { get; }

    private static string Describe(Failure subFailure, int index)
    {
        ArgumentNullException.ThrowIfNull(subFailure);
        return $"FirstError[#{index}, {subFailure.GetErrorMessage()}]";
    }

    /// <summary>The position of the failing Deferred in the input list.</summary>
    public int Index { get; }
}

/// <summary>Every Deferred given to <c>Deferred.Race</c> failed (Twisted's <c>FailureGroup</c>).</summary>
public class FailureGroup : AggregateException
{
    /// <summary>Creates the error from the failures, in input order.</summary>
    public FailureGroup(IReadOnlyList<Failure> failures)
        : base("All Deferreds failed.", failures.Select(f => f.Value)) => Failures = failures;

    /// <summary>The failures, in the order of the input Deferreds.</summary>
    public IReadOnlyList<Failure> Failures { get; }
}
