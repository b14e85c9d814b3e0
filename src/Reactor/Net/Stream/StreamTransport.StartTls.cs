using Reactor.Net.Tls;
using Reactor.Net.Tls.Internal;

namespace Reactor.Net.Stream;

/// <summary>
/// STARTTLS on any stream transport (TCP, UNIX): the TLS layer is put between this transport and
/// its protocol, and the public members redirect to the layer (see <see cref="StartTlsSupport"/>).
/// </summary>
internal abstract partial class StreamTransport : IStartTls, ITlsDetachable
{
    private TlsLayer? _tls;

    /// <summary>
    /// The TLS layer the public members go through after <see cref="StartTls"/>; null before it,
    /// and while the layer itself calls down (its calls run here).
    /// </summary>
    private TlsLayer? TlsAbove => _tls is { IsCallingDown: false } tls ? tls : null;

    /// <inheritdoc/>
    public ITlsTransport StartTls(TlsOptions options)
    {
        if (_tls is not null) throw new InvalidOperationException("TLS was already started on this connection.");
        if (!_connected || _disconnecting || _aborting || _writeShutdownRequested || _readClosed)
        {
            throw new InvalidOperationException("StartTls needs an open connection: this one is closed or closing.");
        }
        var layer = StartTlsSupport.Create(_protocol, options, Host, Host.Logger);
        _tls = layer;
        _protocol = layer;
        layer.MakeConnection(this);
        return layer;
    }

    /// <inheritdoc/>
    void ITlsDetachable.DetachTls(TlsLayer layer, bool applicationPaused)
    {
        if (!ReferenceEquals(_tls, layer)) return;
        _tls = null;
        _protocol = layer.Application;
        // The layer may have paused reading for its own buffering; only the application's pause stays.
        if (!applicationPaused) ResumeProducing();
    }

    /// <inheritdoc/>
    void ITlsDetachable.DeliverPlaintext(ReadOnlySpan<byte> plaintext)
    {
        if (!_connected || _lost) return;
        try
        {
            _protocol.DataReceived(plaintext);
        }
        catch (Exception ex)
        {
            LogUserError(ex, "DataReceived");
            FailFromLoop(ex);
        }
    }
}
