using System.Buffers;

namespace Reactor.Defer.Internal;

/// <summary>
/// The queue of <see cref="CallbackPair"/>s of one chain, consumed from the front. The first pair
/// lives inline so a Deferred with a single callback needs no array; longer chains rent their array
/// from <see cref="ArrayPool{T}"/> and give it back as soon as the queue drains, so firing a chain of
/// any length allocates nothing for its links in steady state.
/// </summary>
internal struct CallbackList
{
    private CallbackPair _first;
    private CallbackPair[]? _rest;
    private int _head;
    private int _count;

    /// <summary>True when no pair is waiting to run.</summary>
    internal readonly bool IsEmpty => _head == _count;

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
            _rest = ArrayPool<CallbackPair>.Shared.Rent(8);
        }
        else if (index == _rest.Length)
        {
            var larger = ArrayPool<CallbackPair>.Shared.Rent(_rest.Length * 2);
            Array.Copy(_rest, larger, _rest.Length);
            ArrayPool<CallbackPair>.Shared.Return(_rest, clearArray: true);
            _rest = larger;
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
            // Drained: start over from the inline slot; every taken slot was cleared, so the array goes back clean.
            _head = 0;
            _count = 0;
            if (_rest is not null)
            {
                ArrayPool<CallbackPair>.Shared.Return(_rest);
                _rest = null;
            }
        }
        return pair;
    }
}
