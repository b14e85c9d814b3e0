using Reactor.Protocols.Basic.Internal;

namespace Reactor.Protocols.Basic;

/// <summary>
/// A protocol that receives lines and, when switched to raw mode, raw data (Twisted's
/// <c>twisted.protocols.basic.LineReceiver</c>, wire-compatible with it). Override
/// <see cref="LineReceived"/>, and <see cref="RawDataReceived"/> if you use raw mode.
/// </summary>
/// <remarks>
/// <para>Lines are split on <see cref="Delimiter"/> however the bytes are chunked, and many lines
/// in one read are delivered one after the other. A line that lies whole in a read is handed
/// over as a slice of it, without copying; only the unfinished last line of a read is copied
/// (into a buffer reused for the life of the connection).</para>
/// <para>A complete line longer than <see cref="MaxLength"/>, or an unterminated one of
/// <see cref="MaxLength"/> + delimiter length bytes or more, calls <see cref="LineLengthExceeded"/>
/// and drops everything buffered; the buffer never grows past that size while reading lines.</para>
/// <para>Switching mode with <see cref="SetRawMode"/> or <see cref="SetLineMode"/> from a callback
/// applies to the rest of the current read. Delivery stops once the transport is disconnecting,
/// or while the receiver is paused (<see cref="PauseProducing"/>).</para>
/// <para>Threading: every callback runs on the reactor thread, one at a time.</para>
/// </remarks>
public abstract class LineReceiver : Protocol, IPushProducer, IReceiveLoop, ILineSink
{
    private LineSplitter _lines = new();
    private bool _lineMode = true;
    private ReceiverPause _pause;

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

    /// <summary>True in line mode (the initial mode), false in raw mode.</summary>
    public bool LineMode => _lineMode;

    /// <summary>True while paused with <see cref="PauseProducing"/>.</summary>
    public bool Paused => _pause.IsPaused;

    /// <summary>The buffer's current size in bytes (for tests and diagnostics).</summary>
    internal int BufferCapacity => _lines.Buffer.Capacity;

    /// <summary>Bytes copied into the buffer so far (for tests and diagnostics).</summary>
    internal long BytesCopied => _lines.Buffer.BytesCopied;

    /// <summary>
    /// Called with each line, delimiter removed. The span is only valid during the call: copy
    /// what you keep.
    /// </summary>
    public abstract void LineReceived(ReadOnlySpan<byte> line);

    /// <summary>
    /// Called in raw mode with each chunk of data. The span is only valid during the call.
    /// The default throws: a receiver that switches to raw mode must override it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not overridden.</exception>
    public virtual void RawDataReceived(ReadOnlySpan<byte> data) =>
        throw new InvalidOperationException($"{GetType().Name} switched to raw mode but does not override RawDataReceived.");

    /// <summary>
    /// Called when a line is too long, with everything received and not yet delivered, starting
    /// with the offending line (as Twisted: the line, its delimiter if seen, and the rest). All of
    /// it has been dropped; pass a part to <see cref="SetLineMode"/> to have it parsed after all.
    /// The span is only valid during the call. The default closes the connection.
    /// </summary>
    public virtual void LineLengthExceeded(ReadOnlySpan<byte> line) => Transport.LoseConnection();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _lines.Buffer.Receive(data, this);

    /// <summary>Sends <paramref name="line"/> followed by <see cref="Delimiter"/>.</summary>
    public void SendLine(ReadOnlySpan<byte> line) => _lines.SendLine(Transport, line);

    /// <summary>Sends <paramref name="line"/> encoded as UTF-8, followed by <see cref="Delimiter"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="line"/> is null.</exception>
    public void SendLine(string line) => _lines.SendLine(Transport, line);

    /// <summary>
    /// Switches to raw mode: the rest of the current read and everything after it goes to
    /// <see cref="RawDataReceived"/>.
    /// </summary>
    public void SetRawMode() => _lineMode = false;

    /// <summary>
    /// Switches to line mode. From <see cref="RawDataReceived"/>, pass the part of the chunk you
    /// did not consume as <paramref name="extra"/>: it is parsed as lines, before anything that
    /// follows. Do not pass <paramref name="extra"/> from <see cref="LineReceived"/>.
    /// </summary>
    public void SetLineMode(ReadOnlySpan<byte> extra = default)
    {
        _lineMode = true;
        if (!extra.IsEmpty) DataReceived(extra);
    }

    /// <summary>Drops and returns every byte received but not yet delivered (callable from <see cref="LineReceived"/>).</summary>
    public byte[] ClearLineBuffer() => _lines.Buffer.TakeAll();

    /// <summary>Stops delivering lines and pauses the transport (stops reading).</summary>
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
        while (!_pause.IsPaused && _lines.Buffer.TotalLength > 0)
        {
            if (!_lineMode)
            {
                var chunk = _lines.Buffer.HeadLength > 0 ? _lines.Buffer.Head : _lines.Buffer.Input;
                _lines.Buffer.Consume(chunk.Length);
                RawDataReceived(chunk);
                continue;
            }
            if (!_lines.DeliverNext(this)) return;
            if (TransportOrNull?.Disconnecting == true) return;
        }
    }
}
