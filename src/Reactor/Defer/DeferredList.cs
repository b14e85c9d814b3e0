using Reactor.Defer.Internal;

namespace Reactor.Defer;

/// <summary>
/// Combines several Deferreds into one that fires with every outcome, in input order, once all of
/// them have fired (Twisted's <c>DeferredList</c>).
/// </summary>
/// <remarks>
/// <para>
/// Inputs that have already fired are recorded synchronously by the constructor. An empty list fires
/// at once with an empty list — unless <c>fireOnOneCallback</c> is set, in which case it never fires.
/// </para>
/// <para>
/// With <c>fireOnOneCallback</c>, the first success fires the list with a one-element list holding that
/// outcome (its <see cref="DeferredOutcome{T}.Index"/> says which input it was; Twisted fires with the
/// tuple <c>(result, index)</c>: <see cref="Deferred.FirstResult{T}"/> gives that shape, typed; this list
/// form stays because it keeps one result type, whether a success arrived or every input failed).
/// With <c>fireOnOneErrback</c>, the first failure errbacks the list with
/// <see cref="FirstError"/>. With <c>consumeErrors</c>, a failing input's own chain continues with
/// <c>default</c> after being recorded, so it is not reported as unhandled.
/// </para>
/// <para>Cancelling the list cancels every input that has not fired; the list then fires from their outcomes.</para>
/// </remarks>
/// <typeparam name="T">The result type of the inputs.</typeparam>
public sealed class DeferredList<T> : Deferred<IReadOnlyList<DeferredOutcome<T>>>
{
    private readonly Deferred<T>[] _inputs;
    private readonly DeferredOutcome<T>[] _outcomes;
    private readonly bool _fireOnOneCallback;
    private readonly bool _fireOnOneErrback;
    private readonly bool _consumeErrors;
    private int _finished;

    /// <summary>Watches <paramref name="deferreds"/>.</summary>
    /// <param name="deferreds">The Deferreds to wait for.</param>
    /// <param name="fireOnOneCallback">Fire with the first success instead of waiting for all.</param>
    /// <param name="fireOnOneErrback">Errback with <see cref="FirstError"/> on the first failure.</param>
    /// <param name="consumeErrors">Stop a failure from propagating further down its input's chain.</param>
    public DeferredList(IEnumerable<Deferred<T>> deferreds, bool fireOnOneCallback = false, bool fireOnOneErrback = false, bool consumeErrors = false)
        : base(static list => ((DeferredList<T>)list).CancelInputs())
    {
        ArgumentNullException.ThrowIfNull(deferreds);
        _inputs = deferreds.ToArray();
        for (int i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i] is null) throw new ArgumentException($"Deferred #{i} is null.", nameof(deferreds));
        }
        _outcomes = new DeferredOutcome<T>[_inputs.Length];
        _fireOnOneCallback = fireOnOneCallback;
        _fireOnOneErrback = fireOnOneErrback;
        _consumeErrors = consumeErrors;
        if (_inputs.Length == 0 && !fireOnOneCallback) Callback(_outcomes);
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i].Append<T>(CallbackPair.Both(new Entry(this, i), Entry.Step.Instance));
        }
    }

    /// <summary>The outcomes recorded so far, in input order (Twisted's <c>resultList</c>); unfinished slots are default.</summary>
    public IReadOnlyList<DeferredOutcome<T>> ResultList => _outcomes;

    private object? Record(int index, object? result)
    {
        bool succeeded = result is not Failure;
        var outcome = succeeded
            ? new DeferredOutcome<T>(index, true, ChainValue.As<T>(result), null)
            : new DeferredOutcome<T>(index, false, default!, (Failure)result!);
        _outcomes[index] = outcome;
        _finished++;
        if (!Called)
        {
            if (succeeded && _fireOnOneCallback)
            {
                Callback(new[] { outcome });
            }
            else if (!succeeded && _fireOnOneErrback)
            {
                Errback(new FirstError(outcome.Failure!, index));
            }
            else if (_finished == _outcomes.Length)
            {
                Callback(_outcomes);
            }
        }
        return !succeeded && _consumeErrors ? default(T) : result;
    }

    private void CancelInputs()
    {
        foreach (var input in _inputs) input.Cancel();
    }

    /// <summary>Links one input to its slot.</summary>
    private sealed class Entry(DeferredList<T> list, int index)
    {
        internal sealed class Step : CallbackStep
        {
            internal static readonly Step Instance = new();

            internal override object? Invoke(object target, object? argument)
            {
                var entry = (Entry)target;
                return entry.List.Record(entry.Index, argument);
            }
        }

        internal DeferredList<T> List { get; } = list;

        internal int Index { get; } = index;
    }
}
