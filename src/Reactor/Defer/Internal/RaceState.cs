namespace Reactor.Defer.Internal;

/// <summary>The bookkeeping of one <see cref="Deferred.Race{T}(Deferred{T}[])"/>.</summary>
internal sealed class RaceState<T>
{
    private readonly Deferred<T>[] _inputs;
    private readonly Failure?[] _failures;
    private int _failed;
    private bool _won;

    internal readonly Deferred<(int Index, T Result)> Result;

    internal RaceState(Deferred<T>[] inputs)
    {
        _inputs = (Deferred<T>[])inputs.Clone();
        for (int i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i] is null) throw new ArgumentException($"Deferred #{i} is null.", nameof(inputs));
        }
        _failures = new Failure?[_inputs.Length];
        Result = new Deferred<(int Index, T Result)>(_ => CancelAll(-1));
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i].Append<T>(CallbackPair.Both(new Entry(this, i), Entry.Step.Instance));
        }
    }

    private void CancelAll(int except)
    {
        for (int i = 0; i < _inputs.Length; i++)
        {
            if (i != except) _inputs[i].Cancel();
        }
    }

    private void Finished(int index, object? result)
    {
        if (result is Failure failure)
        {
            _failures[index] = failure;
            _failed++;
            if (!_won && _failed == _inputs.Length && !Result.Called)
            {
                Result.Errback(new FailureGroup(_failures!));
            }
            return;
        }
        if (_won || Result.Called) return;
        _won = true;
        // As Twisted: cancel the losers first, then deliver the winner.
        CancelAll(index);
        Result.Callback((index, ChainValue.As<T>(result)));
    }

    private sealed class Entry(RaceState<T> race, int index)
    {
        internal sealed class Step : CallbackStep
        {
            internal static readonly Step Instance = new();

            // The race consumes every input's outcome: losers' failures (often CancelledError) are not reported.
            internal override object? Invoke(object target, object? argument)
            {
                var entry = (Entry)target;
                entry.Race.Finished(entry.Index, argument);
                return null;
            }
        }

        internal RaceState<T> Race { get; } = race;

        internal int Index { get; } = index;
    }
}
