namespace Reactor.Web.Http;

/// <summary>What <see cref="ChunkedDecoder.Decode"/> produced.</summary>
internal enum ChunkResult
{
    /// <summary>Input is exhausted; more is needed.</summary>
    NeedMore,

    /// <summary>A piece of body data is available.</summary>
    Data,

    /// <summary>The last chunk and the trailer section were read.</summary>
    Done,

    /// <summary>The framing is malformed (or a trailer is over the limit).</summary>
    Error,
}

/// <summary>
/// Decodes the chunked transfer coding (RFC 9112 §7.1) incrementally, yielding data as slices of
/// the input (no copy). Chunk extensions are skipped (bounded), trailer fields are read and dropped
/// (bounded by the header limit). Sizes are hexadecimal, at most 15 digits.
/// </summary>
internal sealed class ChunkedDecoder(int maxTrailerBytes)
{
    private const int MaxSizeLine = 4096;

    private enum State { Size, SizeSpace, ExtensionStart, Extension, SizeLf, Data, DataCr, DataLf, TrailerLineStart, TrailerLine, TrailerLf, FinalLf, Done }

    private State _state;
    private long _remaining;
    private int _digits;
    private int _lineBytes;
    private int _trailerBytes;
    private bool _trailerLineEmpty;

    public bool IsDone => _state == State.Done;

    public void Reset()
    {
        _state = State.Size;
        _remaining = 0;
        _digits = 0;
        _lineBytes = 0;
        _trailerBytes = 0;
    }

    /// <summary>
    /// Advances through <paramref name="input"/>, taking <paramref name="consumed"/> bytes; on
    /// <see cref="ChunkResult.Data"/>, the last <paramref name="dataLength"/> bytes taken are body.
    /// </summary>
    public ChunkResult Decode(ReadOnlySpan<byte> input, out int consumed, out int dataLength)
    {
        var start = input.Length;
        var result = Step(ref input, out dataLength);
        consumed = start - input.Length;
        return result;
    }

    private ChunkResult Step(ref ReadOnlySpan<byte> input, out int dataLength)
    {
        dataLength = 0;
        while (!input.IsEmpty)
        {
            if (_state == State.Data)
            {
                var take = (int)Math.Min(_remaining, input.Length);
                dataLength = take;
                input = input[take..];
                _remaining -= take;
                if (_remaining == 0) _state = State.DataCr;
                return ChunkResult.Data;
            }
            var b = input[0];
            input = input[1..];
            switch (_state)
            {
                case State.Size:
                    var digit = HttpSyntax.HexValue(b);
                    if (digit >= 0)
                    {
                        if (++_digits > 15) return ChunkResult.Error;
                        _remaining = _remaining * 16 + digit;
                    }
                    else if (_digits == 0) return ChunkResult.Error;
                    else if (b == (byte)';')
                    {
                        _state = State.ExtensionStart;
                        _lineBytes = 0;
                    }
                    else if (b == (byte)' ' || b == (byte)'\t')
                    {
                        // BWS is allowed only before ';' (RFC 9112 §7.1.1).
                        _state = State.SizeSpace;
                        _lineBytes = 0;
                    }
                    else if (b == (byte)'\r') _state = State.SizeLf;
                    else if (b == (byte)'\n') EndOfSizeLine();
                    else return ChunkResult.Error;
                    break;
                case State.SizeSpace:
                    if (++_lineBytes > MaxSizeLine) return ChunkResult.Error;
                    if (b == (byte)';') _state = State.ExtensionStart;
                    else if (b != (byte)' ' && b != (byte)'\t') return ChunkResult.Error;
                    break;
                case State.ExtensionStart:
                    // chunk-ext-name is a token, after optional BWS.
                    if (++_lineBytes > MaxSizeLine) return ChunkResult.Error;
                    if (b == (byte)' ' || b == (byte)'\t') break;
                    if (!HttpSyntax.IsToken([b])) return ChunkResult.Error;
                    _state = State.Extension;
                    break;
                case State.Extension:
                    if (++_lineBytes > MaxSizeLine) return ChunkResult.Error;
                    if (b == (byte)'\r') _state = State.SizeLf;
                    else if (b == (byte)'\n') EndOfSizeLine();
                    else if (b < 0x20 && b != (byte)'\t' || b == 0x7F) return ChunkResult.Error;
                    break;
                case State.SizeLf:
                    if (b != (byte)'\n') return ChunkResult.Error;
                    EndOfSizeLine();
                    break;
                case State.DataCr:
                    if (b == (byte)'\r') _state = State.DataLf;
                    else if (b == (byte)'\n') StartSize();
                    else return ChunkResult.Error;
                    break;
                case State.DataLf:
                    if (b != (byte)'\n') return ChunkResult.Error;
                    StartSize();
                    break;
                case State.TrailerLineStart:
                case State.TrailerLine:
                    if (++_trailerBytes > maxTrailerBytes) return ChunkResult.Error;
                    if (b == (byte)'\r')
                    {
                        _trailerLineEmpty = _state == State.TrailerLineStart;
                        _state = State.TrailerLf;
                    }
                    else if (b == (byte)'\n')
                    {
                        if (_state == State.TrailerLineStart) return Finish();
                        _state = State.TrailerLineStart;
                    }
                    else if (b < 0x20 && b != (byte)'\t' || b == 0x7F) return ChunkResult.Error;
                    else _state = State.TrailerLine;
                    break;
                case State.TrailerLf:
                    if (b != (byte)'\n') return ChunkResult.Error;
                    if (_trailerLineEmpty) return Finish();
                    _state = State.TrailerLineStart;
                    break;
                case State.Done:
                    input = default;
                    return ChunkResult.Done;
            }
        }
        return _state == State.Done ? ChunkResult.Done : ChunkResult.NeedMore;
    }

    private ChunkResult Finish()
    {
        _state = State.Done;
        return ChunkResult.Done;
    }

    private void EndOfSizeLine()
    {
        _state = _remaining == 0 ? State.TrailerLineStart : State.Data;
    }

    private void StartSize()
    {
        _state = State.Size;
        _remaining = 0;
        _digits = 0;
    }
}
