namespace Reactor.Protocols.Basic.Internal;

/// <summary>What <see cref="LineFraming.NextLine"/> found.</summary>
internal enum LineScan
{
    /// <summary>A complete line; it and its delimiter are consumed.</summary>
    Line,

    /// <summary>No complete line yet; the rest of the read has been moved into the head.</summary>
    NeedMore,

    /// <summary>The next line is longer than allowed; nothing was consumed.</summary>
    TooLong,
}

/// <summary>Splitting a <see cref="ReceiveBuffer"/> into delimiter-terminated lines, in linear time.</summary>
internal static class LineFraming
{
    /// <summary>
    /// Finds the next line. On <see cref="LineScan.Line"/>, <paramref name="found"/> is the line
    /// without its delimiter, a slice of the read when the line lies wholly in it (no copy), of
    /// the head otherwise. On <see cref="LineScan.TooLong"/>, nothing is consumed: the offending
    /// line starts the unconsumed data.
    /// </summary>
    /// <param name="buffer">The unparsed bytes.</param>
    /// <param name="delimiter">The line terminator (at least one byte).</param>
    /// <param name="maxLength">The longest line accepted; longer complete lines are <see cref="LineScan.TooLong"/>.</param>
    /// <param name="unterminatedLimit">An unterminated line this long or longer is <see cref="LineScan.TooLong"/>.</param>
    /// <param name="found">The line.</param>
    public static LineScan NextLine(ReceiveBuffer buffer, ReadOnlySpan<byte> delimiter, int maxLength, int unterminatedLimit,
        out ReadOnlySpan<byte> found)
    {
        var d = delimiter.Length;
        var head = buffer.Head;
        var input = buffer.Input;
        if (head.IsEmpty)
        {
            var at = input.IndexOf(delimiter);
            if (at >= 0)
            {
                found = input[..at];
                if (at > maxLength)
                {
                    found = default;
                    return LineScan.TooLong;
                }
                buffer.ConsumeInput(at + d);
                return LineScan.Line;
            }
            if (input.Length >= unterminatedLimit)
            {
                found = default;
                return LineScan.TooLong;
            }
            buffer.MoveInputToHead(input.Length);
            buffer.HeadScanned = Math.Max(0, input.Length - (d - 1));
            found = default;
            return LineScan.NeedMore;
        }

        // 1. A delimiter wholly inside the head, where it has not been searched before.
        var from = Math.Min(buffer.HeadScanned, head.Length);
        var inHead = head[from..].IndexOf(delimiter);
        if (inHead >= 0)
        {
            var lineLength = from + inHead;
            found = head[..lineLength];
            if (lineLength > maxLength)
            {
                found = default;
                return LineScan.TooLong;
            }
            buffer.ConsumeHead(lineLength + d);
            return LineScan.Line;
        }
        // Only the last d-1 bytes of the head can still start a delimiter.
        buffer.HeadScanned = Math.Max(0, head.Length - (d - 1));
        if (input.IsEmpty)
        {
            found = default;
            return head.Length >= unterminatedLimit ? LineScan.TooLong : LineScan.NeedMore;
        }

        // 2. A delimiter that starts in the head and ends in the read.
        var inHeadPart = Straddle(head, input, delimiter);
        if (inHeadPart > 0)
        {
            var lineLength = head.Length - inHeadPart;
            found = head[..lineLength];
            if (lineLength > maxLength)
            {
                found = default;
                return LineScan.TooLong;
            }
            buffer.ConsumeHead(head.Length);
            buffer.ConsumeInput(d - inHeadPart);
            return LineScan.Line;
        }

        // 3. A delimiter inside the read: the line is head + the read up to it, assembled in the head.
        var inInput = input.IndexOf(delimiter);
        if (inInput >= 0)
        {
            if (head.Length + inInput > maxLength)
            {
                found = default;
                return LineScan.TooLong;
            }
            buffer.MoveInputToHead(inInput);
            buffer.ConsumeInput(d);
            found = buffer.Head;
            buffer.ConsumeHead(found.Length);
            return LineScan.Line;
        }
        if (head.Length + input.Length >= unterminatedLimit)
        {
            found = default;
            return LineScan.TooLong;
        }
        buffer.MoveInputToHead(input.Length);
        buffer.HeadScanned = Math.Max(0, buffer.HeadLength - (d - 1));
        found = default;
        return LineScan.NeedMore;
    }

    /// <summary>
    /// How many bytes of a delimiter that starts in <paramref name="head"/> and ends in
    /// <paramref name="input"/> lie in the head, or 0 if there is none. The largest count wins:
    /// it is the earliest delimiter.
    /// </summary>
    private static int Straddle(ReadOnlySpan<byte> head, ReadOnlySpan<byte> input, ReadOnlySpan<byte> delimiter)
    {
        for (var inHead = Math.Min(delimiter.Length - 1, head.Length); inHead >= 1; inHead--)
        {
            var inInput = delimiter.Length - inHead;
            if (input.Length >= inInput && head.EndsWith(delimiter[..inHead]) && input.StartsWith(delimiter[inHead..]))
            {
                return inHead;
            }
        }
        return 0;
    }
}
