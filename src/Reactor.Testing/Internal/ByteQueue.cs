namespace Reactor.Testing.Internal;

/// <summary>
/// A first-in first-out byte buffer: appended at the end, consumed from the front, compacted
/// lazily. Holds a fake transport's bytes that the pump has not delivered yet.
/// </summary>
internal sealed class ByteQueue
{
    private byte[] _array = [];
    private int _start;
    private int _end;

    /// <summary>How many bytes are queued.</summary>
    public int Count => _end - _start;

    /// <summary>The queued bytes, oldest first; valid until the next change.</summary>
    public ReadOnlySpan<byte> Span => _array.AsSpan(_start, _end - _start);

    /// <summary>Appends a copy of <paramref name="data"/>.</summary>
    public void Enqueue(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_array.Length - _end < data.Length)
        {
            var count = Count;
            if (_array.Length - count >= data.Length && count <= _array.Length / 2)
            {
                // Enough room once the consumed front is dropped: slide instead of growing.
                _array.AsSpan(_start, count).CopyTo(_array);
            }
            else
            {
                var bigger = new byte[Math.Max(_array.Length * 2, count + data.Length)];
                _array.AsSpan(_start, count).CopyTo(bigger);
                _array = bigger;
            }
            _start = 0;
            _end = count;
        }
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
    }

    /// <summary>Removes the <paramref name="count"/> oldest bytes.</summary>
    public void Dequeue(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        _start += count;
        if (_start == _end) _start = _end = 0;
    }

    /// <summary>Drops everything queued.</summary>
    public void Clear() => _start = _end = 0;
}
