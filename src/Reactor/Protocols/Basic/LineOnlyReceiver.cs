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
public abstract class LineOnlyReceiver : Protocol, IReceiveLoop, ILineSink
{
    private LineSplitter _lines = new();

    /// <summary>The line terminator. Defaults to CR LF ("\r\n").</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public ReadOnlySpan<byte> Delimiter
    {
        get => _lines.Delimiter;
        set => _lines.Delimiter = value;
    }

    /// <summary>The longest line accepted, delimiter excluded. Defaults to 16,384 bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxLength
    {
        get => _lines.MaxLength;
        set => _lines.MaxLength = value;
    }

    /// <summary>The buffer's current size in bytes (for tests and diagnostics).</summary>
    internal int BufferCapacity => _lines.Buffer.Capacity;

    /// <summary>Called with each line, delimiter removed. The span is only valid during the call.</summary>
    public abstract void LineReceived(ReadOnlySpan<byte> line);

    /// <summary>
    /// Called when a line is too long, with everything received and not yet delivered, starting
    /// with that line (Twisted passes the line alone); all of it has been dropped. The span is
    /// only valid during the call. The default closes the connection.
    /// </summary>
    public virtual void LineLengthExceeded(ReadOnlySpan<byte> line) => Transport.LoseConnection();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _lines.Buffer.Receive(data, this);

    /// <summary>Sends <paramref name="line"/> followed by <see cref="Delimiter"/>.</summary>
    public void SendLine(ReadOnlySpan<byte> line) => _lines.SendLine(Transport, line);

    /// <summary>Sends <paramref name="line"/> encoded as UTF-8, followed by <see cref="Delimiter"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    public void SendLine(string line) => _lines.SendLine(Transport, line);

    void IReceiveLoop.ProcessReceived()
    {
        while (_lines.Buffer.TotalLength > 0)
        {
            // Checked before each line, as Twisted: lines after the one that closed are dropped.
            if (TransportOrNull?.Disconnecting == true) return;
            if (!_lines.DeliverNext(this)) return;
        }
    }
}
