using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Internal;
using Reactor.Time;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// What keeps a stalled or flooding peer from holding a TLS connection in its handshake: the
/// handshake timeout, and the slot this connection holds in its port's <see cref="HandshakeLimiter"/>.
/// </summary>
internal sealed partial class TlsLayer
{
    private readonly HandshakeLimiter? _limiter;
    private bool _holdsHandshakeSlot;
    private IDelayedCall? _handshakeTimer;

    /// <summary>
    /// How long the handshake may take: the options' own timeout, else the reactor's
    /// (<see cref="ReactorOptions.TlsHandshakeTimeout"/>), else the default.
    /// </summary>
    internal TimeSpan HandshakeTimeout =>
        _options.HandshakeTimeout ?? (_clock as ITransportHost)?.Limits.TlsHandshakeTimeout ?? ReactorOptions.DefaultTlsHandshakeTimeout;

    /// <summary>The handshake starts: take a slot in the port's limiter and start the clock on it.</summary>
    private void WatchHandshake()
    {
        if (_limiter is not null && !_holdsHandshakeSlot)
        {
            _limiter.Enter();
            _holdsHandshakeSlot = true;
        }
        var timeout = HandshakeTimeout;
        if (TransportLimits.IsFinite(timeout)) _handshakeTimer = _clock.CallLater(timeout, HandshakeTimedOut);
    }

    /// <summary>The handshake is over (done, failed, or the connection is gone): stop the clock, give the slot back.</summary>
    private void EndHandshakeWatch()
    {
        if (_handshakeTimer is { Active: true } timer) timer.Cancel();
        _handshakeTimer = null;
        if (_holdsHandshakeSlot)
        {
            _holdsHandshakeSlot = false;
            _limiter!.Exit();
        }
    }

    /// <summary>
    /// The peer did not finish the handshake in time: abort the connection (a stalled peer may
    /// not read either, so nothing is flushed), and report a <see cref="TlsErrorKind.HandshakeTimedOut"/> error.
    /// </summary>
    private void HandshakeTimedOut()
    {
        _handshakeTimer = null;
        if (_handshakeDone || _failed || _aborted || _lost) return;
        var timeout = HandshakeTimeout;
        var error = new TlsError(TlsErrorKind.HandshakeTimedOut,
            $"TLS handshake timed out: the {(IsServer ? "client" : "server")} did not complete it within {timeout.TotalSeconds:0.###} s.");
        HandshakeMeasured(error);
        EndHandshakeWatch();
        _failed = true;
        _readsFinished = true;
        _held.Clear();
        _reason ??= new Failure(error);
        if (_underlyingGone)
        {
            CompleteLoss();
            return;
        }
        _aborted = true;
        DownAbortConnection();
    }
}
