namespace Reactor.Defer;

public abstract partial class Deferred
{
    /// <summary>
    /// Twisted's <c>DeferredList(deferreds, fireOnOneCallback=True)</c> in its own shape: fires with
    /// <c>(result, index)</c> of the first input to succeed. The other inputs are left running (use
    /// <see cref="Race{T}(Deferred{T}[])"/> to cancel them).
    /// </summary>
    /// <remarks>
    /// If every input fails (and <paramref name="fireOnOneErrback"/> is not set) it errbacks with a
    /// <see cref="FailureGroup"/> of their failures in input order — where Twisted's list would fire with
    /// the list of failures. With <paramref name="fireOnOneErrback"/>, the first failure errbacks it with
    /// <see cref="FirstError"/>. With no input it never fires, as in Twisted. Cancelling it cancels every
    /// input that has not fired. <see cref="DeferredList{T}"/> with <c>fireOnOneCallback</c> keeps its
    /// one-element list for code that needs the list type (the outcome carries the same index).
    /// </remarks>
    /// <param name="deferreds">The Deferreds to wait for.</param>
    /// <param name="fireOnOneErrback">Errback with <see cref="FirstError"/> on the first failure.</param>
    /// <param name="consumeErrors">Stop a failure from propagating further down its input's chain.</param>
    public static Deferred<(T Result, int Index)> FirstResult<T>(IEnumerable<Deferred<T>> deferreds, bool fireOnOneErrback = false, bool consumeErrors = false)
    {
        var list = new DeferredList<T>(deferreds, fireOnOneCallback: true, fireOnOneErrback: fireOnOneErrback, consumeErrors: consumeErrors);
        return list.AddCallback<(T Result, int Index)>(outcomes =>
        {
            foreach (var outcome in outcomes)
            {
                if (outcome.Succeeded) return (outcome.Value, outcome.Index);
            }
            throw new FailureGroup(outcomes.Select(o => o.Failure!).ToArray());
        });
    }
}
