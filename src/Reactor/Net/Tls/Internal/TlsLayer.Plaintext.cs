using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// After StopTls on a connection that began as TLS (ListenSsl, ConnectSsl): the layer stays where
/// it is, between the socket's transport and the application, and relays plaintext both ways.
/// </summary>
/// <remarks>
/// A STARTTLS connection hands the application back to the transport underneath instead
/// (<see cref="Stream.IStreamLayerHost"/>). Here the application's transport has been this layer since
/// <c>ConnectionMade</c>, and a protocol may have kept that reference, so the layer remains its
/// transport: every member routes to the transport underneath, and every event from it goes
/// straight to the application. What the handshake settled (protocol version, peer certificate)
/// stays readable.
/// </remarks>
internal sealed partial class TlsLayer
{
    /// <summary>True once StopTls finished on a connection that began as TLS: the layer only relays.</summary>
    private bool _plain;

    /// <summary>Switches to relaying; the caller has released the TLS session.</summary>
    private void BecomePlaintextRelay()
    {
        _plain = true;
        // The layer may have paused the socket's reading for its own buffering; only the
        // application's pause stays.
        _underlyingPaused = false;
        if (_applicationPaused) DownPauseProducing();
        else DownResumeProducing();
    }

    private void RelayDataReceived(ReadOnlySpan<byte> data)
    {
        if (_lost) return;
        try
        {
            _app.DataReceived(data);
        }
        catch (Exception e)
        {
            ApplicationFailed(e);
        }
    }

    private void RelayReadConnectionLost()
    {
        if (_app is not IHalfCloseableProtocol halfCloseable)
        {
            // As a plain transport does for a protocol that cannot half-close: the peer's end of
            // input ends the connection.
            DownLoseConnection();
            return;
        }
        try
        {
            halfCloseable.ReadConnectionLost();
        }
        catch (Exception e)
        {
            ApplicationFailed(e);
        }
    }

    private void RelayConnectionLost(Failure reason)
    {
        if (_lost) return;
        _lost = true;
        var final = _reason ?? reason;
        FinalReason = final;
        try
        {
            _app.ConnectionLost(final);
        }
        catch (Exception e)
        {
            NetLog.TlsConnectionLostFailed(_logger, e, _app.GetType().Name);
        }
    }

    private void RelayPause(bool paused)
    {
        _applicationPaused = paused;
        if (paused) DownPauseProducing();
        else DownResumeProducing();
    }
}
