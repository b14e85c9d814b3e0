using System.Buffers;

namespace Reactor.Protocols.Basic.Internal;

/// <summary>
/// The bytes a framing receiver has not parsed yet: a buffered "head" (an incomplete frame from
/// earlier reads, or data held back while paused) followed by the rest of the current read.
/// </summary>
/// <remarks>
/// <para>Frames that sit whole in the current read are handed to the protocol as slices of that
/// read, without copying; only the unfinished tail of a read is copied into the head. The read
/// is pinned for the duration of <see cref="Receive"/> so that calls made from inside a
/// callback (<c>ClearLineBuffer</c>, a re-entrant <c>DataReceived</c>) can reach its rest.</para>
/// <para>While a receive is in progress, bytes already in the head array are never moved or
/// overwritten: a span handed to a callback stays valid during the call even if the callback
/// feeds more data (which is appended past the end, or into a fresh array). Compaction happens
/// only between callbacks.</para>
/// <para>The array grows by doubling, clamped to <see cref="CapacityLimit"/> (the receiver's
/// largest frame), so an oversized frame cannot make it grow past the limit; it is kept for the
/// life of the connection, so steady state allocates nothing.</para>
/// </remarks>
internal sealed unsafe class ReceiveBuffer
{
    private const int MinimumCapacity = 256;

    private byte[] _array = [];
    private int _start;
    private int _end;
    private byte* _input;
    private int _inputPos;
    private int _inputLength;
    private bool _busy;

    /// <summary>The largest size the head array grows to on its own (more only if one append needs it).</summary>
    public int CapacityLimit { get; set; } = int.MaxValue;

    /// <summary>The head array's current size.</summary>
    public int Capacity => _array.Length;

    /// <summary>Bytes copied into the head since creation: the cost that must stay linear.</summary>
    public long BytesCopied { get; private set; }

    /// <summary>How many leading head bytes a scanner has already searched (kept in step as the head is consumed).</summary>
    public int HeadScanned { get; set; }

    /// <summary>True while a receive is being processed.</summary>
    public bool Busy => _busy;

    /// <summary>Number of buffered bytes that precede the current read.</summary>
    public int HeadLength => _end - _start;

    /// <summary>The buffered bytes that precede the current read.</summary>
    public ReadOnlySpan<byte> Head => new(_array, _start, _end - _start);

    /// <summary>Number of bytes of the current read not consumed yet.</summary>
    public int InputLength => _inputLength - _inputPos;

    /// <summary>The bytes of the current read not consumed yet.</summary>
    public ReadOnlySpan<byte> Input => new(_input + _inputPos, _inputLength - _inputPos);

    /// <summary>Everything not consumed: head plus the rest of the read.</summary>
    public int TotalLength => HeadLength + InputLength;

    /// <summary>
    /// Runs <paramref name="loop"/> over <paramref name="data"/>; what it leaves unconsumed is kept
    /// in the head. Called while a receive is already in progress, the data is queued after
    /// everything not yet parsed and the running loop picks it up.
    /// </summary>
    public void Receive(ReadOnlySpan<byte> data, IReceiveLoop loop)
    {
        if (_busy)
        {
            AppendReentrant(data);
            return;
        }
        fixed (byte* pointer = data)
        {
            _busy = true;
            _input = pointer;
            _inputPos = 0;
            _inputLength = data.Length;
            try
            {
                loop.ProcessReceived();
            }
            finally
            {
                if (InputLength > 0) Append(Input, mayCompact: true);
                _input = null;
                _inputPos = _inputLength = 0;
                _busy = false;
                if (_start == _end) _start = _end = 0;
            }
        }
    }

    /// <summary>Marks <paramref name="count"/> head bytes as consumed (their memory stays intact until the receive ends).</summary>
    public void ConsumeHead(int count)
    {
        _start += count;
        HeadScanned = Math.Max(0, HeadScanned - count);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the current read as consumed.</summary>
    public void ConsumeInput(int count) => _inputPos += count;

    /// <summary>Consumes <paramref name="count"/> bytes, taking from the head first.</summary>
    public void Consume(int count)
    {
        var fromHead = Math.Min(count, HeadLength);
        ConsumeHead(fromHead);
        ConsumeInput(count - fromHead);
    }

    /// <summary>Copies the next <paramref name="count"/> bytes of the current read to the end of the head.</summary>
    public void MoveInputToHead(int count)
    {
        Append(Input[..count], mayCompact: true);
        _inputPos += count;
    }

    /// <summary>The byte at <paramref name="offset"/> in head-then-read order.</summary>
    public byte this[int offset] => offset < HeadLength ? _array[_start + offset] : _input[_inputPos + offset - HeadLength];

    /// <summary>Drops everything not consumed (head and the rest of the read).</summary>
    public void DiscardAll()
    {
        _start = _end;
        if (!_busy) _start = _end = 0;
        _inputPos = _inputLength;
        HeadScanned = 0;
    }

    /// <summary>
    /// Drops everything not consumed and returns it as one span, valid until
    /// <paramref name="rented"/> (if not null) goes back to <see cref="ArrayPool{T}.Shared"/>:
    /// the rest of the read itself when nothing is buffered, else a pooled copy of head and read,
    /// so that the receiver's own buffer never grows for data that is about to be dropped.
    /// </summary>
    public ReadOnlySpan<byte> DetachUnconsumed(out byte[]? rented)
    {
        ReadOnlySpan<byte> all;
        if (HeadLength == 0)
        {
            rented = null;
            all = Input;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent(TotalLength);
            Head.CopyTo(rented);
            Input.CopyTo(rented.AsSpan(HeadLength));
            all = rented.AsSpan(0, TotalLength);
        }
        DiscardAll();
        return all;
    }

    /// <summary>Returns a copy of everything not consumed and drops it.</summary>
    public byte[] TakeAll()
    {
        var all = new byte[TotalLength];
        Head.CopyTo(all);
        Input.CopyTo(all.AsSpan(HeadLength));
        DiscardAll();
        return all;
    }

    private void AppendReentrant(ReadOnlySpan<byte> data)
    {
        // Order matters: the data goes after the unparsed rest of the current read, so that rest
        // moves into the head first. No compaction: the running callback may hold head spans.
        if (InputLength > 0)
        {
            Append(Input, mayCompact: false);
            _inputPos = _inputLength;
        }
        Append(data, mayCompact: false);
    }

    private void Append(ReadOnlySpan<byte> data, bool mayCompact)
    {
        if (data.IsEmpty) return;
        if (_array.Length - _end < data.Length) MakeRoom(data.Length, mayCompact);
        data.CopyTo(_array.AsSpan(_end));
        _end += data.Length;
        BytesCopied += data.Length;
    }

    private void MakeRoom(int extra, bool mayCompact)
    {
        var length = HeadLength;
        var needed = length + extra;
        if (mayCompact && needed <= _array.Length)
        {
            _array.AsSpan(_start, length).CopyTo(_array);
        }
        else
        {
            var capacity = Math.Max(Math.Max(_array.Length * 2, MinimumCapacity), needed);
            capacity = Math.Max(Math.Min(capacity, CapacityLimit), needed);
            var bigger = GC.AllocateUninitializedArray<byte>(capacity);
            _array.AsSpan(_start, length).CopyTo(bigger);
            // The old array is left to the GC, not recycled: a callback may still hold a span of it.
            _array = bigger;
        }
        _start = 0;
        _end = length;
    }
}
