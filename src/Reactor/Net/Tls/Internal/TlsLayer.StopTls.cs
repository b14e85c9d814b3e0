using Reactor.Core.Internal;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// StopTls (Python's <c>SSLSocket.unwrap</c>): close_notify both ways, then the connection carries
/// plaintext again, with the same transport and protocol objects.
/// </summary>
internal sealed partial class TlsLayer
{
    private Deferred<IStreamTransport>? _unwrap;
    private bool _unwrapNotifySent;

    /// <inheritdoc/>
    public Deferred<IStreamTransport> StopTls()
    {
        ReactorThreadGuard.Check(_clock, nameof(StopTls));
        if (!_connectApplication && _host is null)
        {
            throw new NotSupportedException(
                $"StopTls needs the transport under a STARTTLS connection to take its protocol back; {_underlying?.GetType().Name ?? "no transport"} cannot.");
        }
        if (_unwrap is not null) throw new InvalidOperationException("StopTls was already called on this connection.");
        if (!_handshakeDone) throw new InvalidOperationException("StopTls needs a completed TLS handshake.");
        if (_disconnecting || _writeShutdownRequested || _aborted || _lost || _failed || _underlyingGone || _underlyingClosing)
        {
            throw new InvalidOperationException("StopTls needs an open connection: this one is closed or closing.");
        }
        if (_producer is not null) throw new InvalidOperationException("Unregister the producer before StopTls.");
        var unwrap = _unwrap = new Deferred<IStreamTransport>();
        // From here SslStream gets one record per read, so the peer's plaintext after its
        // close_notify stays in the ciphertext queue instead of inside SslStream.
        _cipher.LimitToRecords = true;
        using var scope = LoopContextScope.Enter();
        if (_held.IsEmpty && !_writePending) ShutdownTls(); // else FlushHeld sends close_notify after the held writes
        return unwrap;
    }

    /// <summary>True between StopTls and the return to plaintext.</summary>
    private bool Unwrapping => _unwrap is not null;

    /// <summary>Our close_notify is out (FinishShutdown while unwrapping).</summary>
    private void UnwrapNotifySent()
    {
        _unwrapNotifySent = true;
        if (_closeNotifyReceived) CompleteUnwrap();
    }

    /// <summary>The peer's close_notify arrived (EndOfPlaintext while unwrapping).</summary>
    private void UnwrapNotifyReceived()
    {
        _closeNotifyReceived = true;
        if (_unwrapNotifySent) CompleteUnwrap();
    }

    private void CompleteUnwrap()
    {
        var unwrap = _unwrap!;
        var underlying = _underlying!;
        var plaintext = _cipher.TakeQueued();
        _readsFinished = true;
        if (_connectApplication)
        {
            // Began as TLS: this layer is the application's transport, and from now on relays.
            ReleaseResources();
            BecomePlaintextRelay();
            unwrap.Callback(this);
            if (plaintext.Length > 0) RelayDataReceived(plaintext);
            return;
        }
        _lost = true; // this layer is done: nothing more goes through it
        ReleaseResources();
        var transport = _host!;
        transport.DetachLayer(this, _app, _applicationPaused);
        unwrap.Callback(underlying);
        // After the callback, so the application knows it is in plaintext before the bytes arrive.
        if (plaintext.Length > 0) transport.DeliverPlaintext(plaintext);
    }

    /// <summary>The connection ended while unwrapping: StopTls fails with the reason.</summary>
    private void FailUnwrap(Failure reason)
    {
        var unwrap = _unwrap;
        if (unwrap is null || unwrap.Called) return;
        unwrap.Errback(reason.Value is TlsError or Errors.ConnectionLost or ConnectionDone ? reason : new Failure(new Errors.ConnectionLost("The connection ended during StopTls.", reason.Value)));
    }
}
