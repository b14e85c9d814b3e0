namespace Reactor.Defer;

/// <summary>
/// A queue whose <see cref="Get"/> returns a Deferred that fires when an item is available (Twisted's
/// <c>defer.DeferredQueue</c>). Items go to waiting getters first come, first served.
/// </summary>
/// <remarks>
/// <para>
/// <c>size</c> bounds the items held while nobody waits: a <see cref="Put"/> beyond it throws
/// <see cref="QueueOverflow"/>. <c>backlog</c> bounds the getters waiting while the queue is empty: a
/// <see cref="Get"/> beyond it throws <see cref="QueueUnderflow"/>. Null means unbounded (Twisted's default);
/// give a bound when the producer or the consumer is a peer.
/// </para>
/// <para>
/// Cancelling a pending <see cref="Get"/> removes it (its Deferred fails with <see cref="CancelledError"/>),
/// so a later <see cref="Put"/> goes to the next getter or into the queue. Not thread-safe.
/// </para>
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class DeferredQueue<T>
{
    private readonly LinkedList<Deferred<T>> _waiting = new();
    private readonly Queue<T> _pending = new();

    /// <summary>Creates a queue.</summary>
    /// <param name="size">Most items held while no getter waits; null for no limit.</param>
    /// <param name="backlog">Most getters waiting while the queue is empty; null for no limit.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    public DeferredQueue(int? size = null, int? backlog = null)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, "size must not be negative.");
        if (backlog < 0) throw new ArgumentOutOfRangeException(nameof(backlog), backlog, "backlog must not be negative.");
        Size = size;
        Backlog = backlog;
    }

    /// <summary>The limit on held items, or null (Twisted's <c>size</c>).</summary>
    public int? Size { get; }

    /// <summary>The limit on waiting getters, or null (Twisted's <c>backlog</c>).</summary>
    public int? Backlog { get; }

    /// <summary>Items held, waiting for a getter (Twisted's <c>len(pending)</c>).</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Getters waiting for an item (Twisted's <c>len(waiting)</c>).</summary>
    public int WaitingCount => _waiting.Count;

    /// <summary>Adds <paramref name="item"/>: the oldest waiting getter gets it now, otherwise it is held.</summary>
    /// <exception cref="QueueOverflow">Nobody waits and <see cref="Size"/> items are already held.</exception>
    public void Put(T item)
    {
        if (_waiting.First is { } first)
        {
            _waiting.RemoveFirst();
            first.Value.Callback(item);
        }
        else if (Size is null || _pending.Count < Size)
        {
            _pending.Enqueue(item);
        }
        else
        {
            throw new QueueOverflow();
        }
    }

    /// <summary>A Deferred that fires with the next item: at once if one is held, otherwise when one is put.</summary>
    /// <exception cref="QueueUnderflow">The queue is empty and <see cref="Backlog"/> getters already wait.</exception>
    public Deferred<T> Get()
    {
        if (_pending.Count > 0) return Deferred.Succeed(_pending.Dequeue());
        if (Backlog is not null && _waiting.Count >= Backlog) throw new QueueUnderflow();
        var d = new Deferred<T>(CancelGet);
        _waiting.AddLast(d);
        return d;
    }

    private void CancelGet(Deferred<T> d)
    {
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            if (ReferenceEquals(node.Value, d))
            {
                _waiting.Remove(node);
                return;
            }
        }
    }
}

/// <summary><see cref="DeferredQueue{T}.Put"/> found the queue full (Twisted's <c>defer.QueueOverflow</c>).</summary>
public sealed class QueueOverflow : Exception
{
    /// <summary>Creates the error.</summary>
    public QueueOverflow() : base("The DeferredQueue is full.")
    {
    }
}

/// <summary><see cref="DeferredQueue{T}.Get"/> found too many getters waiting (Twisted's <c>defer.QueueUnderflow</c>).</summary>
public sealed class QueueUnderflow : Exception
{
    /// <summary>Creates the error.</summary>
    public QueueUnderflow() : base("Too many getters are waiting on the DeferredQueue.")
    {
    }
}
