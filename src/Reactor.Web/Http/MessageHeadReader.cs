namespace Reactor.Web.Http;

/// <summary>What <see cref="MessageHeadReader.Feed"/> found.</summary>
internal enum HeadStatus
{
    /// <summary>Every byte given was taken; the head is not complete yet.</summary>
    NeedMore,

    /// <summary>The blank line ending the head was read; the bytes after it were not taken.</summary>
    Complete,

    /// <summary>The head is malformed or over a limit; <see cref="MessageHeadReader.ErrorStatus"/> says which.</summary>
    Error,
}

/// <summary>
/// Reads a message head (start line, header fields, blank line) incrementally, copying each line
/// once into a reused <see cref="HeaderBlock"/> and checking RFC 9112's grammar and the limits as it
/// goes. Lines end in CRLF or a bare LF; a bare CR, obsolete line folding, a field name that is
/// not a token (which includes whitespace before the colon) and control bytes in a value are
/// errors (400). Empty lines before the start line are skipped (RFC 9112 §2.2).
/// </summary>
internal sealed class MessageHeadReader(int maxStartLine, int maxHeaderBytes, int maxHeaderCount, int startLineTooLongStatus, bool allowBareLineFeed = true)
{
    private int _lineStart;
    private bool _startLineDone;

    public HeaderBlock Block { get; } = new();

    /// <summary>Where the start line (without its line ending) sits in <see cref="Block"/>.</summary>
    public int StartLineLength { get; private set; }

    /// <summary>The status for an <see cref="HeadStatus.Error"/> (400, 414 or 431).</summary>
    public int ErrorStatus { get; private set; }

    /// <summary>A short description of the error, for logs and tests.</summary>
    public string? ErrorReason { get; private set; }

    /// <summary>True once any byte of a message (other than leading blank lines) has arrived.</summary>
    public bool Started => Block.Length > 0;

    public ReadOnlySpan<byte> StartLine => Block.Slice(0, StartLineLength);

    public void Reset()
    {
        Block.Reset();
        _lineStart = 0;
        _startLineDone = false;
        StartLineLength = 0;
        ErrorStatus = 0;
        ErrorReason = null;
    }

    public HeadStatus Feed(ReadOnlySpan<byte> data, out int consumed)
    {
        consumed = 0;
        while (consumed < data.Length)
        {
            var rest = data[consumed..];
            var newline = rest.IndexOf((byte)'\n');
            var piece = newline < 0 ? rest : rest[..(newline + 1)];
            var lineLength = Block.Length - _lineStart + piece.Length;
            if (!_startLineDone && lineLength > maxStartLine + 2) return Fail(startLineTooLongStatus, "start line too long");
            if (_startLineDone && Block.Length - StartLineLength + piece.Length > maxHeaderBytes + 4)
            {
                return Fail(HttpStatus.RequestHeaderFieldsTooLarge, "header section too large");
            }
            Block.Append(piece);
            consumed += piece.Length;
            if (newline < 0) return HeadStatus.NeedMore;
            var end = Block.Length - 1;
            if (end > _lineStart && Block.Slice(end - 1, 1)[0] == (byte)'\r') end--;
            else if (!allowBareLineFeed) return Fail(HttpStatus.BadRequest, "bare LF");
            var line = Block.Slice(_lineStart, end - _lineStart);
            if (line.IndexOf((byte)'\r') >= 0) return Fail(HttpStatus.BadRequest, "bare CR");
            if (!_startLineDone)
            {
                if (line.IsEmpty)
                {
                    Block.Truncate(0);
                    continue;
                }
                _startLineDone = true;
                StartLineLength = line.Length;
            }
            else if (line.IsEmpty)
            {
                return HeadStatus.Complete;
            }
            else if (!AddField(line)) return HeadStatus.Error;
            _lineStart = Block.Length;
        }
        return HeadStatus.NeedMore;
    }

    private bool AddField(ReadOnlySpan<byte> line)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            Fail(HttpStatus.BadRequest, "obsolete line folding");
            return false;
        }
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
        {
            Fail(HttpStatus.BadRequest, "malformed header field name");
            return false;
        }
        var value = line[(colon + 1)..];
        var leading = 0;
        while (leading < value.Length && value[leading] is (byte)' ' or (byte)'\t') leading++;
        var trimmed = value[leading..].TrimEnd(" \t"u8);
        if (!HttpSyntax.IsFieldValue(trimmed))
        {
            Fail(HttpStatus.BadRequest, "control byte in header field value");
            return false;
        }
        if (Block.Count >= maxHeaderCount)
        {
            Fail(HttpStatus.RequestHeaderFieldsTooLarge, "too many header fields");
            return false;
        }
        Block.AddField(_lineStart, colon, _lineStart + colon + 1 + leading, trimmed.Length);
        return true;
    }

    private HeadStatus Fail(int status, string reason)
    {
        ErrorStatus = status;
        ErrorReason = reason;
        return HeadStatus.Error;
    }
}
