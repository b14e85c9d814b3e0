using System.Buffers;
using System.Text;

namespace Reactor.Protocols.Basic.Internal;

/// <summary>The two callbacks a line receiver gives <see cref="LineSplitter.DeliverNext"/>.</summary>
internal interface ILineSink
{
    /// <summary>A line, delimiter removed (the receiver's public <c>LineReceived</c>).</summary>
    void LineReceived(ReadOnlySpan<byte> line);

    /// <summary>Everything buffered, starting with a line that is too long (the receiver's public <c>LineLengthExceeded</c>).</summary>
    void LineLengthExceeded(ReadOnlySpan<byte> line);
}

/// <summary>
/// The line framing <see cref="LineReceiver"/> and <see cref="LineOnlyReceiver"/> share: the
/// buffer, the delimiter and the length limit (validated as their public properties document),
/// and the delivery of one line or of a too-long report. A struct, kept in a field, so a receiver
/// costs no extra object; nothing here allocates but the report's pooled copy of a split buffer.
/// </summary>
internal struct LineSplitter
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private byte[] _delimiter = CrLf;
    private int _maxLength = 16384;

    public LineSplitter() => Buffer = new ReceiveBuffer();

    /// <summary>The bytes received and not yet delivered.</summary>
    public ReceiveBuffer Buffer { get; }

    /// <summary>The line terminator (CR LF unless set).</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public ReadOnlySpan<byte> Delimiter
    {
        readonly get => _delimiter;
        set
        {
            if (value.IsEmpty) throw new ArgumentException("The delimiter must be at least one byte.", nameof(Delimiter));
            _delimiter = value.ToArray();
            // A new delimiter may lie in bytes already scanned for the old one.
            Buffer.HeadScanned = 0;
        }
    }

    /// <summary>The longest line accepted, delimiter excluded (16,384 unless set).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxLength
    {
        readonly get => _maxLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxLength));
            _maxLength = value;
        }
    }

    /// <summary>Writes <paramref name="line"/> and the delimiter.</summary>
    public readonly void SendLine(ITransport transport, ReadOnlySpan<byte> line)
    {
        transport.Write(line);
        transport.Write(_delimiter);
    }

    /// <summary>Writes <paramref name="line"/> as UTF-8 and the delimiter.</summary>
    public readonly void SendLine(ITransport transport, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        SendLine(transport, Encoding.UTF8.GetBytes(line));
    }

    /// <summary>
    /// Delivers the next line to <paramref name="sink"/>, or reports a too-long one (dropping
    /// everything buffered); false when no complete line is at hand.
    /// </summary>
    public readonly bool DeliverNext(ILineSink sink)
    {
        Buffer.CapacityLimit = _maxLength + _delimiter.Length;
        // An unterminated line may end with the first bytes of the delimiter: only MaxLength plus a
        // whole delimiter without one is too long, so the verdict never depends on how the stream was
        // cut (Twisted checks MaxLength + 1 here, and so rejects a line of exactly MaxLength bytes
        // whose delimiter arrives in two reads; the chunking property test found it).
        switch (LineFraming.NextLine(Buffer, _delimiter, _maxLength, _maxLength + _delimiter.Length, out var line))
        {
            case LineScan.NeedMore:
                return false;
            case LineScan.TooLong:
                ReportTooLong(sink);
                return true;
            default:
                sink.LineReceived(line);
                return true;
        }
    }

    private readonly void ReportTooLong(ILineSink sink)
    {
        // Everything buffered is dropped; the callback sees it as one span (Twisted passes
        // line + delimiter + rest), borrowed from the pool rather than grown into our buffer.
        // Only data the callback feeds back (as SetLineMode(extra)) remains, parsed next.
        var offending = Buffer.DetachUnconsumed(out var rented);
        try
        {
            sink.LineLengthExceeded(offending);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
