using Reactor.Protocols.Basic.Internal;

namespace Reactor.Protocols.Basic;

/// <summary>
/// Receives and sends netstrings, <c>length ":" data ","</c> with the length in decimal and no
/// leading zeros (Twisted's <c>twisted.protocols.basic.NetstringReceiver</c>, see
/// https://cr.yp.to/proto/netstrings.txt). Override <see cref="StringReceived"/>.
/// </summary>
/// <remarks>
/// <para>A netstring that lies whole in a read is handed over as a slice of it, without copying;
/// the length digits are parsed as they arrive and never buffered; an unfinished payload is
/// copied into a buffer that never grows past <see cref="MaxLength"/> + 1 on its own.</para>
/// <para>Malformed input (a missing or over-long length, a leading zero, a missing ':' or ',')
/// is fatal: <see cref="ParseError"/> records what was wrong, <see cref="HandleParseError"/>
/// runs (default: close the connection) and everything received afterwards is ignored.</para>
/// </remarks>
public abstract class NetstringReceiver : Protocol, IReceiveLoop
{
    private readonly ReceiveBuffer _buffer = new();
    private int _maxLength = 99999;
    private long _length;
    private int _digits;
    private long _payloadLength = -1;

    /// <summary>The longest payload accepted. Defaults to 99,999 bytes.</summary>
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

    /// <summary>What was wrong with the input, once malformed input has been seen; otherwise null.</summary>
    public NetstringParseError? ParseError { get; private set; }

    /// <summary>True once malformed input has been seen (Twisted's <c>brokenPeer</c>).</summary>
    public bool BrokenPeer => ParseError is not null;

    /// <summary>The buffer's current size in bytes (for tests and diagnostics).</summary>
    internal int BufferCapacity => _buffer.Capacity;

    /// <summary>Bytes copied into the buffer so far (for tests and diagnostics).</summary>
    internal long BytesCopied => _buffer.BytesCopied;

    /// <summary>Called with each payload. The span is only valid during the call.</summary>
    public abstract void StringReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// Called once, when malformed input is seen (also available as <see cref="ParseError"/>).
    /// The default closes the connection.
    /// </summary>
    protected virtual void HandleParseError(NetstringParseError error) => Transport.LoseConnection();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (BrokenPeer) return;
        _buffer.Receive(data, this);
    }

    /// <summary>Sends <paramref name="data"/> as a netstring.</summary>
    public void SendString(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        data.Length.TryFormat(header, out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        header[digits] = (byte)':';
        Transport.Write(header[..(digits + 1)]);
        Transport.Write(data);
        Transport.Write(","u8);
    }

    void IReceiveLoop.ProcessReceived()
    {
        _buffer.CapacityLimit = _maxLength + 1;
        while (_buffer.TotalLength > 0)
        {
            if (_payloadLength < 0 && !ParseLength()) return;
            // The payload and its trailing comma, taken as one frame.
            if (!FrameAssembly.TryTake(_buffer, (int)_payloadLength + 1, out var frame)) return;
            _payloadLength = -1;
            if (frame[^1] != (byte)',')
            {
                Fail(NetstringErrorKind.MissingComma, "The received netstring is not terminated by a comma.");
                return;
            }
            StringReceived(frame[..^1]);
            if (TransportOrNull?.Disconnecting == true) return;
        }
    }

    /// <summary>Consumes length digits up to the colon; true once the length is complete.</summary>
    private bool ParseLength()
    {
        while (_buffer.TotalLength > 0)
        {
            var b = _buffer[0];
            _buffer.Consume(1);
            if (b == (byte)':')
            {
                if (_digits == 0)
                {
                    Fail(NetstringErrorKind.MissingLength, "The received netstring does not start with a length specification.");
                    return false;
                }
                _payloadLength = _length;
                _length = 0;
                _digits = 0;
                return true;
            }
            if (b is < (byte)'0' or > (byte)'9')
            {
                if (_digits == 0) Fail(NetstringErrorKind.MissingLength, "The received netstring does not start with a length specification.");
                else Fail(NetstringErrorKind.MissingColon, $"The length of the received netstring is followed by byte 0x{b:X2} instead of ':'.");
                return false;
            }
            if (_digits == 1 && _length == 0)
            {
                Fail(NetstringErrorKind.LeadingZero, "The length of the received netstring has a leading zero.");
                return false;
            }
            _length = _length * 10 + (b - '0');
            _digits++;
            if (_length > _maxLength)
            {
                Fail(NetstringErrorKind.TooLong, $"The received netstring is longer than the maximum {_maxLength} specified by MaxLength.");
                return false;
            }
        }
        return false;
    }

    private void Fail(NetstringErrorKind kind, string message)
    {
        _buffer.DiscardAll();
        ParseError = new NetstringParseError(kind, message);
        HandleParseError(ParseError);
    }
}
