using System.Buffers;
using System.Text;
using Reactor.Protocols.Basic.Internal;

namespace Reactor.Protocols.Basic;

/// <summary>
/// A protocol that receives only lines, with no raw mode (Twisted's
/// <c>twisted.protocols.basic.LineOnlyReceiver</c>). Override <see cref="LineReceived"/>.
/// </summary>
/// <remarks>
/// Lines are split on <see cref="Delimiter"/> however the bytes are chunked; lines lying whole
/// in a read are delivered without copying. A complete line longer than <see cref="MaxLength"/>,
/// or unterminated data that cannot be such a line any more (longer than <see cref="MaxLength"/>
/// plus a partial delimiter, so the verdict does not depend on how the stream was cut), calls
/// <see cref="LineLengthExceeded"/> and drops everything buffered. Delivery stops once the
/// transport is disconnecting.
/// </remarks>
public abstract class LineOnlyReceiver : Protocol, IReceiveLoop
{
    private readonly ReceiveBuffer _buffer = new();
    private byte[] _delimiter = "\r\n"u8.ToArray();
    private int _maxLength = 16384;

    /// <summary>The line terminator. Defaults to CR LF ("\r\n").</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public ReadOnlySpan<byte> Delimiter
    {
        get => _delimiter;
        set
        {
            if (value.IsEmpty) throw new ArgumentException("The delimiter must be at least one byte.", nameof(Delimiter));
            _delimiter = value.ToArray();
            _buffer.HeadScanned = 0;
        }
    }

    /// <summary>The longest line accepted, delimiter excluded. Defaults to 16,384 bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxLength
    {
        get => _maxLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxLength));
            _maxLength = value;
        }
    }

    /// <summary>The buffer's current size in bytes (for tests and diagnostics).</summary>
    internal int BufferCapacity => _buffer.Capacity;

    /// <summary>Called with each line, delimiter removed. The span is only valid during the call.</summary>
    public abstract void LineReceived(ReadOnlySpan<byte> line);

    /// <summary>
    /// Called when a line is too long, with everything received and not yet delivered, starting
    /// with that line (Twisted passes the line alone); all of it has been dropped. The span is
    /// only valid during the call. The default closes the connection.
    /// </summary>
    public virtual void LineLengthExceeded(ReadOnlySpan<byte> line) => Transport.LoseConnection();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _buffer.Receive(data, this);

    /// <summary>Sends <paramref name="line"/> followed by <see cref="Delimiter"/>.</summary>
    public void SendLine(ReadOnlySpan<byte> line)
    {
        Transport.Write(line);
        Transport.Write(_delimiter);
    }

    /// <summary>Sends <paramref name="line"/> encoded as UTF-8, followed by <see cref="Delimiter"/>.</summary>
    public void SendLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        SendLine(Encoding.UTF8.GetBytes(line));
    }

    private void ReportLineTooLong()
    {
        // Everything buffered is dropped; the callback sees it as one span (Twisted passes
        // line + delimiter + rest), borrowed from the pool rather than grown into our buffer.
        var offending = _buffer.DetachUnconsumed(out var rented);
        try
        {
            LineLengthExceeded(offending);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    void IReceiveLoop.ProcessReceived()
    {
        while (_buffer.TotalLength > 0)
        {
            // Checked before each line, as Twisted: lines after the one that closed are dropped.
            if (TransportOrNull?.Disconnecting == true) return;
            _buffer.CapacityLimit = _maxLength + _delimiter.Length;
            // An unterminated line may end with the first bytes of the delimiter: only MaxLength plus a
            // whole delimiter without one is too long, so the verdict never depends on how the stream was
            // cut (Twisted checks MaxLength + 1 here, and so rejects a line of exactly MaxLength bytes
            // whose delimiter arrives in two reads; the chunking property test found it).
            switch (LineFraming.NextLine(_buffer, _delimiter, _maxLength, _maxLength + _delimiter.Length, out var line))
            {
                case LineScan.NeedMore:
                    return;
                case LineScan.TooLong:
                    // Everything at hand is dropped; only data fed back by the callback (as
                    // SetLineMode(extra)) remains, and is parsed now rather than on the next read.
                    ReportLineTooLong();
                    if (TransportOrNull?.Disconnecting == true) return;
                    break;
                default:
                    LineReceived(line);
                    break;
            }
        }
    }
}
