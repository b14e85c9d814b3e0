using System.Buffers.Binary;
using Reactor.Protocols.Basic.Internal;

namespace Reactor.Protocols.Basic;

/// <summary>
/// The base of length-prefixed protocols (Twisted's <c>IntNStringReceiver</c>): each string is
/// preceded by its length as an unsigned big-endian integer of <see cref="PrefixLength"/> bytes.
/// Use <see cref="Int8StringReceiver"/>, <see cref="Int16StringReceiver"/> or
/// <see cref="Int32StringReceiver"/> and override <see cref="StringReceived"/>.
/// </summary>
/// <remarks>
/// <para>A string that lies whole in a read is handed over as a slice of it, without copying;
/// only an unfinished string is copied, into a buffer that never grows past
/// <see cref="MaxLength"/> on its own. The prefix itself is never buffered.</para>
/// <para>A prefix larger than <see cref="MaxLength"/> calls <see cref="LengthLimitExceeded"/>
/// before any of the payload is read (default: close the connection). If the override keeps the
/// connection open, the oversized payload is skipped as it arrives, never buffered, and parsing
/// resumes with the next prefix (Twisted would stop parsing the connection instead).</para>
/// <para>Delivery stops while paused (<see cref="PauseProducing"/>) and once the transport is
/// disconnecting. Threading: callbacks run on the reactor thread, one at a time.</para>
/// </remarks>
public abstract class IntNStringReceiver : Protocol, IPushProducer, IReceiveLoop
{
    private readonly ReceiveBuffer _buffer = new();
    private int _maxLength = 99999;
    private long _frameLength = -1;
    private long _skipRemaining;
    private ReceiverPause _pause;

    /// <summary>Creates a receiver whose prefix is <paramref name="prefixLength"/> bytes (1, 2 or 4).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Another prefix length.</exception>
    protected IntNStringReceiver(int prefixLength)
    {
        if (prefixLength is not (1 or 2 or 4)) throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, "The prefix is 1, 2 or 4 bytes.");
        PrefixLength = prefixLength;
        MaxStringLength = (1L << (8 * prefixLength)) - 1;
    }

    /// <summary>The size of the length prefix in bytes.</summary>
    public int PrefixLength { get; }

    /// <summary>The longest string the prefix can describe: 2^(8 × <see cref="PrefixLength"/>) − 1.</summary>
    public long MaxStringLength { get; }

    /// <summary>The longest string accepted. Defaults to 99,999 bytes.</summary>
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

    /// <summary>True while paused with <see cref="PauseProducing"/>.</summary>
    public bool Paused => _pause.IsPaused;

    /// <summary>The buffer's current size in bytes (for tests and diagnostics).</summary>
    internal int BufferCapacity => _buffer.Capacity;

    /// <summary>Bytes copied into the buffer so far (for tests and diagnostics).</summary>
    internal long BytesCopied => _buffer.BytesCopied;

    /// <summary>Called with each string, prefix removed. The span is only valid during the call.</summary>
    public abstract void StringReceived(ReadOnlySpan<byte> data);

    /// <summary>
    /// Called when a prefix announces more than <see cref="MaxLength"/> bytes, before any of them
    /// is read. The default closes the connection.
    /// </summary>
    public virtual void LengthLimitExceeded(long length) => Transport.LoseConnection();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _buffer.Receive(data, this);

    /// <summary>Sends <paramref name="data"/> preceded by its length.</summary>
    /// <exception cref="StringTooLongError">The length does not fit the prefix.</exception>
    public void SendString(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxStringLength) throw new StringTooLongError(data.Length, MaxStringLength, nameof(data));
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)data.Length);
        Transport.Write(prefix[(4 - PrefixLength)..]);
        Transport.Write(data);
    }

    /// <summary>Stops delivering strings and pauses the transport (stops reading).</summary>
    public void PauseProducing() => _pause.Pause(Transport);

    /// <summary>Resumes the transport and delivers what was held back while paused.</summary>
    public void ResumeProducing()
    {
        _pause.Resume(Transport);
        DataReceived(default);
    }

    /// <summary>Stops delivering and stops the transport.</summary>
    public void StopProducing() => _pause.Stop(Transport);

    void IReceiveLoop.ProcessReceived()
    {
        _buffer.CapacityLimit = Math.Max(_maxLength, PrefixLength);
        while (!_pause.IsPaused)
        {
            if (_skipRemaining > 0)
            {
                var skip = (int)Math.Min(_skipRemaining, _buffer.TotalLength);
                if (skip == 0) return;
                _buffer.Consume(skip);
                _skipRemaining -= skip;
                continue;
            }
            if (_frameLength < 0)
            {
                if (_buffer.TotalLength < PrefixLength)
                {
                    // Fewer bytes than a prefix: keep them (at most 3 bytes are copied).
                    _buffer.MoveInputToHead(_buffer.InputLength);
                    return;
                }
                var length = ReadPrefix();
                _buffer.Consume(PrefixLength);
                if (length > _maxLength)
                {
                    _skipRemaining = length;
                    LengthLimitExceeded(length);
                    if (TransportOrNull?.Disconnecting == true) return;
                    continue;
                }
                _frameLength = length;
            }
            if (!FrameAssembly.TryTake(_buffer, (int)_frameLength, out var frame)) return;
            _frameLength = -1;
            StringReceived(frame);
            if (TransportOrNull?.Disconnecting == true) return;
        }
    }

    private long ReadPrefix()
    {
        long value = 0;
        for (var i = 0; i < PrefixLength; i++) value = (value << 8) | _buffer[i];
        return value;
    }
}
