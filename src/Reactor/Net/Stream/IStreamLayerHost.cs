using Reactor.Protocols;

namespace Reactor.Net.Stream;

/// <summary>
/// A layer that sits between a stream transport and its protocol (TLS after STARTTLS): the
/// transport delivers to it as its protocol, and routes its own public members to it.
/// </summary>
internal interface IStreamLayer : IProtocol, IStreamTransport
{
}

/// <summary>
/// A stream transport that can carry an <see cref="IStreamLayer"/>. Once one is attached, the
/// transport's public members only route to it; the layer reaches the socket through the raw
/// operations here, which never route, so a call down can never come back up (no depth counter,
/// no suspend-and-restore around user code).
/// </summary>
internal interface IStreamLayerHost : IStreamTransport
{
    /// <summary>The protocol the transport delivers to now (the application, before a layer is attached).</summary>
    IProtocol Protocol { get; }

    /// <summary>Throws unless a layer may be attached now (before one is built: building a TLS layer is not free).</summary>
    /// <exception cref="InvalidOperationException">A layer is already attached, or the connection is closed or closing.</exception>
    void EnsureLayerCanAttach();

    /// <summary>
    /// Puts <paramref name="layer"/> above the transport: received bytes and close events go to it,
    /// the public members route to it. The caller then connects the layer (its <c>MakeConnection</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">A layer is already attached, or the connection is closed or closing.</exception>
    void AttachLayer(IStreamLayer layer);

    /// <summary>
    /// Removes <paramref name="layer"/>: the transport delivers to <paramref name="application"/> and runs
    /// its public members itself again; reading resumes unless the application had paused it.
    /// </summary>
    void DetachLayer(IStreamLayer layer, IProtocol application, bool applicationPaused);

    /// <summary>Hands bytes the layer no longer interprets (the plaintext after a peer's close_notify) to the protocol.</summary>
    void DeliverPlaintext(ReadOnlySpan<byte> plaintext);

    /// <summary><c>Write</c> on the socket itself, never routed to a layer.</summary>
    void RawWrite(ReadOnlySpan<byte> data);

    /// <summary><see cref="ITransport.LoseConnection"/> on the socket itself.</summary>
    void RawLoseConnection();

    /// <summary><see cref="IStreamTransport.LoseWriteConnection"/> on the socket itself.</summary>
    void RawLoseWriteConnection();

    /// <summary><see cref="IStreamTransport.AbortConnection"/> on the socket itself.</summary>
    void RawAbortConnection();

    /// <summary>Stops reading the socket.</summary>
    void RawPauseProducing();

    /// <summary>Reads the socket again.</summary>
    void RawResumeProducing();

    /// <summary>Registers <paramref name="producer"/> on the socket's output buffer.</summary>
    void RawRegisterProducer(IProducer producer, bool streaming);

    /// <summary>Unregisters the socket's producer.</summary>
    void RawUnregisterProducer();
}
