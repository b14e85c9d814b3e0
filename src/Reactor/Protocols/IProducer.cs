namespace Reactor.Protocols;

/// <summary>A source of data written to a consumer (Twisted's <c>IProducer</c>).</summary>
public interface IProducer
{
    /// <summary>Stops producing for good; the consumer will not ask again.</summary>
    void StopProducing();
}

/// <summary>
/// A producer that writes on its own until paused (Twisted's <c>IPushProducer</c>). A consumer
/// pauses it when its buffer passes the high-water mark and resumes it when it drains.
/// </summary>
public interface IPushProducer : IProducer
{
    /// <summary>Stops writing until <see cref="ResumeProducing"/> is called.</summary>
    void PauseProducing();

    /// <summary>Starts writing again after <see cref="PauseProducing"/>.</summary>
    void ResumeProducing();
}

/// <summary>A producer that writes one chunk each time the consumer asks (Twisted's <c>IPullProducer</c>).</summary>
public interface IPullProducer : IProducer
{
    /// <summary>Writes one more chunk to the consumer.</summary>
    void ResumeProducing();
}

/// <summary>Something producers write into (Twisted's <c>IConsumer</c>).</summary>
public interface IConsumer
{
    /// <summary>
    /// Attaches a producer. A streaming producer must be an <see cref="IPushProducer"/>, a
    /// non-streaming one an <see cref="IPullProducer"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A producer is already registered.</exception>
    void RegisterProducer(IProducer producer, bool streaming);

    /// <summary>Detaches the registered producer, if any.</summary>
    void UnregisterProducer();

    /// <summary>Queues <paramref name="data"/> for writing. The bytes are copied before this returns.</summary>
    void Write(ReadOnlySpan<byte> data);
}
