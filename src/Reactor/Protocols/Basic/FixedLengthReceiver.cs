using Reactor.Protocols.Basic.Internal;

namespace Reactor.Protocols.Basic;

/// <summary>
/// Receives and sends messages of one fixed size, with no header at all: the third classic
/// framing after delimiters and length prefixes (Twisted has no equivalent). Override
/// <see cref="FrameReceived"/>.
/// </summary>
/// <remarks>
/// A frame that lies whole in a read is handed over as a slice of it; an unfinished one is
/// copied into a buffer of at most <see cref="FrameLength"/> bytes. Delivery stops while paused
/// (<see cref="PauseProducing"/>) and once the transport is disconnecting.
/// </remarks>
public abstract class FixedLengthReceiver : Protocol, IPushProducer, IReceiveLoop
{
    private readonly ReceiveBuffer _buffer = new();
    private ReceiverPause _pause;

    /// <summary>Creates a receiver of <paramref name="frameLength"/>-byte frames.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frameLength"/> is less than 1.</exception>
    protected FixedLengthReceiver(int frameLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameLength, 1);
        FrameLength = frameLength;
        _buffer.CapacityLimit = frameLength;
    }

    /// <summary>The size of every frame, in bytes.</summary>
    public int FrameLength { get; }

    /// <summary>True while paused with <see cref="PauseProducing"/>.</summary>
    public bool Paused => _pause.IsPaused;

    /// <summary>The buffer's current size in bytes (for tests and diagnostics).</summary>
    internal int BufferCapacity => _buffer.Capacity;

    /// <summary>Called with each frame. The span is only valid during the call.</summary>
    public abstract void FrameReceived(ReadOnlySpan<byte> frame);

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _buffer.Receive(data, this);

    /// <summary>Sends one frame.</summary>
    /// <exception cref="ArgumentException"><paramref name="frame"/> is not <see cref="FrameLength"/> bytes long.</exception>
    public void SendFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length != FrameLength)
        {
            throw new ArgumentException($"A frame is exactly {FrameLength} bytes; got {frame.Length}.", nameof(frame));
        }
        Transport.Write(frame);
    }

    /// <summary>Stops delivering frames and pauses the transport (stops reading).</summary>
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
        while (!_pause.IsPaused && FrameAssembly.TryTake(_buffer, FrameLength, out var frame))
        {
            FrameReceived(frame);
            if (TransportOrNull?.Disconnecting == true) return;
        }
    }
}
