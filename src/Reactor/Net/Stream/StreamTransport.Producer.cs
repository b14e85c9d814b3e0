using Reactor.Protocols;
using Reactor.Net.Internal;

namespace Reactor.Net.Stream;

internal abstract partial class StreamTransport
{
    private IProducer? _producer;
    private bool _streaming;
    private bool _producerPaused;
    private long _highWaterMark = IWriteBuffer.DefaultHighWaterMark;
    private long _lowWaterMark;

    /// <summary>The registered producer, if any.</summary>
    public IProducer? Producer => _producer;

    /// <inheritdoc/>
    public long HighWaterMark
    {
        get => _highWaterMark;
        set
        {
            if (value < 0 || value < _lowWaterMark)
            {
                throw new ArgumentOutOfRangeException(nameof(HighWaterMark), value, $"The high-water mark must be at least 0 and at least the low-water mark ({_lowWaterMark}).");
            }
            _highWaterMark = value;
        }
    }

    /// <inheritdoc/>
    public long LowWaterMark
    {
        get => _lowWaterMark;
        set
        {
            if (value < 0 || value > _highWaterMark)
            {
                throw new ArgumentOutOfRangeException(nameof(LowWaterMark), value, $"The low-water mark must be at least 0 and at most the high-water mark ({_highWaterMark}).");
            }
            _lowWaterMark = value;
        }
    }

    /// <summary>
    /// Attaches a producer. A streaming one must be an <see cref="IPushProducer"/>: it starts
    /// unpaused and is paused above the high-water mark. A non-streaming one must be an
    /// <see cref="IPullProducer"/>: it is asked for a chunk now and each time the output drains.
    /// On a closed connection the producer is told to stop at once.
    /// </summary>
    public void RawRegisterProducer(IProducer producer, bool streaming)
    {
        if (!ProducerRegistration.Admit(producer, streaming, _producer, closed: !_connected || _lost)) return;
        _producer = producer;
        _streaming = streaming;
        _producerPaused = false;
        if (!streaming) ((IPullProducer)producer).ResumeProducing();
    }

    /// <summary>Detaches the registered producer, if any.</summary>
    public void RawUnregisterProducer()
    {
        _producer = null;
        _producerPaused = false;
    }

    private void PauseProducerIfOverHighWater()
    {
        if (_producer is IPushProducer push && _streaming && !_producerPaused && _output.Length > _highWaterMark)
        {
            _producerPaused = true;
            push.PauseProducing();
        }
    }
}
