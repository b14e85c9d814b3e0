using Reactor.Defer.Internal;

namespace Reactor.Defer;

public abstract partial class Deferred
{
    /// <summary>
    /// A Deferred for the results of <paramref name="deferreds"/>, in input order, or the first failure
    /// wrapped in <see cref="FirstError"/> (Twisted's <c>gatherResults</c>). Cancelling it cancels the inputs.
    /// </summary>
    /// <param name="deferreds">The Deferreds to wait for.</param>
    /// <param name="consumeErrors">Stop a failure from propagating further down its input's chain.</param>
    public static Deferred<IReadOnlyList<T>> GatherResults<T>(IEnumerable<Deferred<T>> deferreds, bool consumeErrors = false)
    {
        var list = new DeferredList<T>(deferreds, fireOnOneErrback: true, consumeErrors: consumeErrors);
        return list.AddCallback(static IReadOnlyList<T> (outcomes) =>
        {
            var values = new T[outcomes.Count];
            for (int i = 0; i < values.Length; i++) values[i] = outcomes[i].Value;
            return values;
        });
    }

    /// <summary>
    /// Fires with the index and result of the first of <paramref name="deferreds"/> to succeed and
    /// cancels the others; if all fail, errbacks with a <see cref="FailureGroup"/> of their failures in
    /// input order (Twisted's <c>race</c>). Cancelling it cancels every input. With no input it never fires.
    /// </summary>
    public static Deferred<(int Index, T Result)> Race<T>(params Deferred<T>[] deferreds)
    {
        ArgumentNullException.ThrowIfNull(deferreds);
        return new RaceState<T>(deferreds).Result;
    }

    /// <summary>Races the Deferreds in <paramref name="deferreds"/>; see <see cref="Race{T}(Deferred{T}[])"/>.</summary>
    public static Deferred<(int Index, T Result)> Race<T>(IEnumerable<Deferred<T>> deferreds)
    {
        ArgumentNullException.ThrowIfNull(deferreds);
        return new RaceState<T>(deferreds.ToArray()).Result;
    }
}
