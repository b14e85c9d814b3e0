using Reactor.Protocols;

namespace Reactor.Net.Internal;

/// <summary>
/// The rules of <see cref="IConsumer.RegisterProducer"/> for a consumer that holds one producer
/// (a stream transport, a child process's standard-input writer), in one place so the two agree.
/// </summary>
internal static class ProducerRegistration
{
    /// <summary>
    /// Checks that <paramref name="producer"/> may be registered, and stops it when the consumer is
    /// already <paramref name="closed"/> (Twisted: a producer registered on a closed transport is
    /// told to stop). True when the caller should keep it.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="current"/> was never unregistered.</exception>
    /// <exception cref="ArgumentException"><paramref name="streaming"/> does not match the interface the producer implements.</exception>
    public static bool Admit(IProducer producer, bool streaming, IProducer? current, bool closed)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (current is not null)
        {
            throw new InvalidOperationException($"Cannot register producer {producer.GetType().Name}: producer {current.GetType().Name} was never unregistered.");
        }
        if (streaming && producer is not IPushProducer)
        {
            throw new ArgumentException("A streaming producer must implement IPushProducer.", nameof(producer));
        }
        if (!streaming && producer is not IPullProducer)
        {
            throw new ArgumentException("A non-streaming producer must implement IPullProducer.", nameof(producer));
        }
        if (!closed) return true;
        producer.StopProducing();
        return false;
    }
}
