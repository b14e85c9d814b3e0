namespace Reactor.Protocols.Basic.Internal;

/// <summary>Taking a frame of known length from a <see cref="ReceiveBuffer"/>, copying only when it spans reads.</summary>
internal static class FrameAssembly
{
    /// <summary>
    /// Takes the next <paramref name="length"/> bytes as one contiguous span: a slice of the head
    /// or of the read when they lie in one of them, else the head after just enough of the read
    /// has been copied onto it. False (with the read moved into the head) if they have not all
    /// arrived yet.
    /// </summary>
    public static bool TryTake(ReceiveBuffer buffer, int length, out ReadOnlySpan<byte> frame)
    {
        if (buffer.HeadLength == 0)
        {
            if (buffer.InputLength >= length)
            {
                frame = buffer.Input[..length];
                buffer.ConsumeInput(length);
                return true;
            }
            buffer.MoveInputToHead(buffer.InputLength);
            frame = default;
            return false;
        }
        var missing = length - buffer.HeadLength;
        if (missing > 0)
        {
            var available = Math.Min(missing, buffer.InputLength);
            buffer.MoveInputToHead(available);
            if (available < missing)
            {
                frame = default;
                return false;
            }
        }
        frame = buffer.Head[..length];
        buffer.ConsumeHead(length);
        return true;
    }
}
