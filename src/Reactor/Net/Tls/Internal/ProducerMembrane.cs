using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// Stands in for the producer the application registered on a TLS transport, registered in its
/// place on the transport underneath (as Twisted's <c>_ProducerMembrane</c>). Two things can pause
/// a push producer: the underlying transport's full buffer, and the TLS layer holding writes
/// while the handshake runs. The producer is paused while either holds and resumed only when
/// both have let go, so one never undoes the other's pause.
/// </summary>
internal sealed class ProducerMembrane : IPushProducer, IPullProducer
{
    private bool _pausedByTransport;
    private bool _pausedByTls;

    public ProducerMembrane(IProducer producer, bool streaming)
    {
        Producer = producer;
        Streaming = streaming;
    }

    /// <summary>The application's producer.</summary>
    public IProducer Producer { get; }

    /// <summary>True for a push producer.</summary>
    public bool Streaming { get; }

    private bool Paused => _pausedByTransport || _pausedByTls;

    /// <summary>The underlying transport's buffer is full.</summary>
    public void PauseProducing() => SetPause(ref _pausedByTransport, true);

    /// <summary>
    /// The underlying transport drained. A pull producer is asked for its next chunk; a push
    /// producer resumes unless the TLS layer still holds it.
    /// </summary>
    public void ResumeProducing()
    {
        if (!Streaming)
        {
            ((IPullProducer)Producer).ResumeProducing();
            return;
        }
        SetPause(ref _pausedByTransport, false);
    }

    /// <summary>The TLS layer is holding writes (handshake in progress) or has flushed them.</summary>
    public void SetHeldByTls(bool held)
    {
        if (Streaming) SetPause(ref _pausedByTls, held);
    }

    public void StopProducing() => Producer.StopProducing();

    private void SetPause(ref bool flag, bool value)
    {
        var wasPaused = Paused;
        flag = value;
        var nowPaused = Paused;
        if (wasPaused == nowPaused) return;
        // The producer is application code: its calls on the transport route through TLS by
        // themselves (the layer only ever calls the transport's raw operations).
        var push = (IPushProducer)Producer;
        if (nowPaused) push.PauseProducing();
        else push.ResumeProducing();
    }
}
