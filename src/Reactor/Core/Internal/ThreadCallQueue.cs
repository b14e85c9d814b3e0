using Microsoft.Extensions.Logging;

namespace Reactor.Core.Internal;

/// <summary>
/// Calls handed to the reactor thread from any thread (Twisted's <c>threadCallQueue</c>): a
/// lock-protected array that producers append to and the loop swaps with a second array, so a
/// drain runs exactly the calls present when it started (calls queued meanwhile wait for the next
/// iteration) and steady state allocates nothing.
/// </summary>
internal sealed class ThreadCallQueue
{
    private readonly object _lock = new();
    private ThreadCall[] _incoming = new ThreadCall[64];
    private ThreadCall[] _draining = new ThreadCall[64];
    private int _count;

    /// <summary>Whether calls are waiting. Read without the lock; producers publish under it.</summary>
    internal bool HasPending => Volatile.Read(ref _count) > 0;

    /// <summary>How many calls wait (read from any thread, for the metric).</summary>
    internal int PendingCount => Volatile.Read(ref _count);

    internal void Enqueue(in ThreadCall call)
    {
        lock (_lock)
        {
            if (_count == _incoming.Length) Array.Resize(ref _incoming, _incoming.Length * 2);
            _incoming[_count] = call;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>Runs, in order, the calls queued before this drain started; logs their exceptions.</summary>
    /// <returns>How many calls ran.</returns>
    internal int RunPending(ILogger logger)
    {
        if (Volatile.Read(ref _count) == 0) return 0; // the common case: no lock when there is nothing
        ThreadCall[] batch;
        int n;
        lock (_lock)
        {
            n = _count;
            if (n == 0) return 0;
            batch = _incoming;
            _incoming = _draining.Length >= batch.Length ? _draining : new ThreadCall[batch.Length];
            Volatile.Write(ref _count, 0);
        }
        for (int i = 0; i < n; i++)
        {
            var call = batch[i];
            batch[i] = default; // release what the call captured as soon as it has run
            try
            {
                call.Invoke();
            }
            catch (Exception ex)
            {
                CoreLog.ThreadCallFailed(logger, ex);
            }
        }
        _draining = batch;
        return n;
    }
}

/// <summary>One queued call: an <see cref="Action"/>, or a <see cref="SendOrPostCallback"/> with its state (no closure needed).</summary>
internal readonly struct ThreadCall
{
    private readonly Action? _action;
    private readonly SendOrPostCallback? _callback;
    private readonly object? _state;

    internal ThreadCall(Action action) => _action = action;

    internal ThreadCall(SendOrPostCallback callback, object? state)
    {
        _callback = callback;
        _state = state;
    }

    internal void Invoke()
    {
        if (_action is not null) _action();
        else _callback?.Invoke(_state);
    }
}
