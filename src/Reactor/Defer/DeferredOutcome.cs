namespace Reactor.Defer;

/// <summary>
/// How one Deferred of a <see cref="DeferredList{T}"/> ended: Twisted's <c>(success, result)</c> tuple,
/// with the position of the Deferred in the input list.
/// </summary>
/// <typeparam name="T">The result type of the input Deferreds.</typeparam>
public readonly struct DeferredOutcome<T>
{
    internal DeferredOutcome(int index, bool succeeded, T value, Failure? failure)
    {
        Index = index;
        Succeeded = succeeded;
        Value = value;
        Failure = failure;
    }

    /// <summary>The position of the Deferred in the input list.</summary>
    public int Index { get; }

    /// <summary>True if the Deferred succeeded.</summary>
    public bool Succeeded { get; }

    /// <summary>The result when <see cref="Succeeded"/>; <c>default</c> otherwise.</summary>
    public T Value { get; }

    /// <summary>The failure when not <see cref="Succeeded"/>; null otherwise.</summary>
    public Failure? Failure { get; }

    /// <summary>Deconstructs like Twisted's tuple: <c>var (ok, result) = outcome;</c> where result is the value or the <see cref="Defer.Failure"/>.</summary>
    public void Deconstruct(out bool succeeded, out object? result)
    {
        succeeded = Succeeded;
        result = Succeeded ? Value : Failure;
    }

    /// <inheritdoc/>
    public override string ToString() => Succeeded ? $"(True, {Value})" : $"(False, {Failure})";
}
