namespace Reactor.Testing;

/// <summary>
/// What a protocol last asked of a fake transport acting as a push producer (Twisted's
/// <c>StringTransport.producerState</c>): pausing the transport means "stop reading".
/// </summary>
public enum ProducerState
{
    /// <summary>Reading: the initial state, and the state after <c>ResumeProducing</c>.</summary>
    Producing,

    /// <summary><c>PauseProducing</c> was called: the transport would not read.</summary>
    Paused,

    /// <summary><c>StopProducing</c> was called: the transport would never read again.</summary>
    Stopped,
}
