namespace Reactor.Defer.Internal;

/// <summary>
/// The queue of <see cref="CallbackPair"/>s of one chain, consumed from the front. The first pair
/// lives inline so a Deferred with a single callback allocates no array; the storage is reused
/// once the queue drains.
/// </summary>
internal struct CallbackList
{
    private CallbackPair _first;
    private CallbackPair[]? _rest;
    private int _head;
    private int _count;

    /// <summary>True when no pair is waiting to run.</summary>
    internal readonly bool IsEmpty => _head == _count;

    /// <summary>How many pairs are waiting to run.</summary>
    internal readonly int Count => _count - _head;

    /// <summary>Appends a pair at the end of the chain.</summary>
    internal void Add(in CallbackPair pair)
    {
        if (_count == 0)
        {
            _first = pair;
            _count = 1;
            return;
        }
        int index = _count - 1;
        if (_rest is null)
        {
            _rest = new CallbackPair[4];
        }
        else if (index == _rest.Length)
        {
            Array.Resize(ref _rest, _rest.Length * 2);
        }
        _rest[index] = pair;
        _count++;
    }

    /// <summary>Removes and returns the first waiting pair. The queue must not be empty.</summary>
    internal CallbackPair TakeFirst()
    {
        CallbackPair pair;
        if (_head == 0)
        {
            pair = _first;
            _first = default;
        }
        else
        {
            pair = _rest![_head - 1];
            _rest[_head - 1] = default;
        }
        _head++;
        if (_head == _count)
        {
            // Drained: start over so the inline slot and the array are reused.
            _head = 0;
            _count = 0;
        }
        return pair;
    }

    /// <summary>Removes every waiting pair (used when a DeferredList consumes an input's result).</summary>
    internal void Clear()
    {
        _first = default;
        if (_rest is not null) Array.Clear(_rest);
        _head = 0;
        _count = 0;
    }
}
