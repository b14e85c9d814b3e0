using System.Buffers;

namespace Reactor.Buffers;

/// <summary>
/// A first-in first-out run of bytes in one array rented from <see cref="ArrayPool{T}.Shared"/>:
/// appends copy in, reads copy out or consume from the front. The array is returned to the pool
/// whenever the queue empties, so an idle connection holds no buffer. Not thread-safe.
/// The one byte queue of the code base: TLS's held plaintext and inbound ciphertext, the testing
/// kit's fake transports. (A framing receiver's ReceiveBuffer is not a queue: it parses in place
/// from the caller's read and must never move bytes a callback holds; see its remarks.)
/// </summary>
/// <remarks>
/// <see cref="Span"/> is valid only until the next change: a caller that hands queued bytes to user
/// code which may append copies them out first (growing returns the old array to the pool).
/// </remarks>
internal sealed class ByteQueue
{
    private byte[]? _array;
    private int _start;
    private int _end;

    /// <summary>How many bytes are queued.</summary>
    public int Length => _end - _start;

    /// <summary>True when nothing is queued.</summary>
    public bool IsEmpty => _end == _start;

    /// <summary>The queued bytes, oldest first; valid until the next mutation.</summary>
    public ReadOnlySpan<byte> Span => _array is null ? default : _array.AsSpan(_start, _end - _start);

    /// <summary>Copies <paramref name="data"/> to the end of the queue, growing the array if needed.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        EnsureSpace(data.Length);
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length queued bytes out and removes them; returns the count.</summary>
    public int Dequeue(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, Length);
        if (n == 0) return 0;
        _array.AsSpan(_start, n).CopyTo(destination);
        Consume(n);
        return n;
    }

    /// <summary>Removes <paramref name="count"/> bytes from the front.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than <see cref="Length"/>.</exception>
    public void Consume(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Length);
        _start += count;
        if (_start == _end) Clear();
    }

    /// <summary>Drops every queued byte and gives the array back to the pool.</summary>
    public void Clear()
    {
        var array = _array;
        _array = null;
        _start = _end = 0;
        if (array is not null) ArrayPool<byte>.Shared.Return(array);
    }

    private void EnsureSpace(int extra)
    {
        if (_array is null)
        {
            _array = ArrayPool<byte>.Shared.Rent(Math.Max(extra, 4096));
            return;
        }
        if (_array.Length - _end >= extra) return;
        var length = Length;
        if (_array.Length - length >= extra)
        {
            // Enough room once the consumed prefix is reclaimed: slide the live bytes down.
            _array.AsSpan(_start, length).CopyTo(_array);
        }
        else
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, length + extra));
            _array.AsSpan(_start, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = bigger;
        }
        _start = 0;
        _end = length;
    }
}
