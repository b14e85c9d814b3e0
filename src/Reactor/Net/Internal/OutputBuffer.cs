using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>
/// A transport's pending output: a chain of pooled <see cref="OutputSegment"/>s that writes
/// append to and sends consume from. Empty buffers hold no segment. Not thread-safe.
/// </summary>
internal sealed unsafe class OutputBuffer
{
    /// <summary>At most this many segments go into one writev(2) (IOV_MAX is 1024 everywhere we run).</summary>
    public const int MaxGather = 64;

    private OutputSegment? _head;
    private OutputSegment? _tail;

    /// <summary>How many bytes are waiting to be sent.</summary>
    public long Length { get; private set; }

    /// <summary>True when nothing is waiting.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>Copies <paramref name="data"/> to the end of the buffer.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        while (!data.IsEmpty)
        {
            if (_tail is null || _tail.End == OutputSegment.Size)
            {
                var segment = OutputSegment.Pool.Get();
                if (_tail is null) _head = segment;
                else _tail.Next = segment;
                _tail = segment;
            }
            var free = _tail.Free;
            var n = Math.Min(free.Length, data.Length);
            data[..n].CopyTo(free);
            _tail.End += n;
            data = data[n..];
        }
    }

    /// <summary>
    /// Describes up to <paramref name="vectors"/>.Length leading segments for writev(2); returns
    /// how many were filled.
    /// </summary>
    public int Gather(Span<IoVec> vectors)
    {
        var count = 0;
        for (var s = _head; s is not null && count < vectors.Length; s = s.Next)
        {
            vectors[count].Base = s.Pointer + s.Start;
            vectors[count].Length = (nuint)(s.End - s.Start);
            count++;
        }
        return count;
    }

    /// <summary>The first segment (null when empty): a single-segment buffer is sent with send(2).</summary>
    public OutputSegment? Head => _head;

    /// <summary>Drops the first <paramref name="count"/> bytes (they were sent), returning emptied segments to the pool.</summary>
    public void Consume(long count)
    {
        Length -= count;
        while (count > 0 && _head is not null)
        {
            var available = _head.End - _head.Start;
            if (count < available)
            {
                _head.Start += (int)count;
                return;
            }
            count -= available;
            ReleaseHead();
        }
        if (Length == 0 && _head is not null)
        {
            // An empty tail segment left over; keep the buffer's "empty holds nothing" rule.
            ReleaseHead();
        }
    }

    /// <summary>Drops everything (an abort), returning the segments to the pool.</summary>
    public void Clear()
    {
        while (_head is not null) ReleaseHead();
        Length = 0;
    }

    private void ReleaseHead()
    {
        var segment = _head!;
        _head = segment.Next;
        if (_head is null) _tail = null;
        OutputSegment.Pool.Return(segment);
    }
}
