namespace Reactor.Net.Tls.Internal;

/// <summary>A transport that can take its protocol back from a TLS layer it put above itself (STARTTLS, then StopTls).</summary>
internal interface ITlsDetachable
{
    /// <summary>
    /// Removes <paramref name="layer"/>: the transport delivers to the layer's application again and
    /// runs its public members itself; reading resumes unless the application had paused it.
    /// </summary>
    void DetachTls(TlsLayer layer, bool applicationPaused);

    /// <summary>Hands the peer's first plaintext (what followed its close_notify) to the application.</summary>
    void DeliverPlaintext(ReadOnlySpan<byte> plaintext);
}
