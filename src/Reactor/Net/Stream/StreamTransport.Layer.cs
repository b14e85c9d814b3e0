using System.Buffers;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

/// <summary>
/// The public face of the transport. Each member only routes: to the layer above when one is
/// attached (TLS after STARTTLS), otherwise to the raw operation that does the work. The layer
/// itself calls the raw operations (<see cref="IStreamLayerHost"/>), so nothing it does comes back
/// through here.
/// </summary>
internal abstract partial class StreamTransport : IStreamLayerHost
{
    private IStreamLayer? _layer;

    /// <summary>Queues <paramref name="data"/> (see <see cref="RawWrite"/>).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Host.CheckReactorThread(nameof(Write));
        if (_layer is { } layer) layer.Write(data);
        else RawWrite(data);
    }

    /// <summary>Queues every segment of <paramref name="data"/>, in order.</summary>
    public void WriteSequence(ReadOnlySequence<byte> data)
    {
        Host.CheckReactorThread(nameof(WriteSequence));
        if (_layer is { } layer) layer.WriteSequence(data);
        else RawWriteSequence(data);
    }

    /// <summary>Closes after every pending byte is sent (see <see cref="RawLoseConnection"/>).</summary>
    public void LoseConnection()
    {
        Host.CheckReactorThread(nameof(LoseConnection));
        if (_layer is { } layer) layer.LoseConnection();
        else RawLoseConnection();
    }

    /// <summary>Sends FIN once pending bytes are sent (see <see cref="RawLoseWriteConnection"/>).</summary>
    public void LoseWriteConnection()
    {
        Host.CheckReactorThread(nameof(LoseWriteConnection));
        if (_layer is { } layer) layer.LoseWriteConnection();
        else RawLoseWriteConnection();
    }

    /// <summary>Drops pending output and resets the connection (see <see cref="RawAbortConnection"/>).</summary>
    public void AbortConnection()
    {
        Host.CheckReactorThread(nameof(AbortConnection));
        if (_layer is { } layer) layer.AbortConnection();
        else RawAbortConnection();
    }

    /// <summary>Stops delivering data (see <see cref="RawPauseProducing"/>).</summary>
    public void PauseProducing()
    {
        if (_layer is { } layer) layer.PauseProducing();
        else RawPauseProducing();
    }

    /// <summary>Delivers data again (see <see cref="RawResumeProducing"/>).</summary>
    public void ResumeProducing()
    {
        if (_layer is { } layer) layer.ResumeProducing();
        else RawResumeProducing();
    }

    /// <summary>Closes the connection (the transport as a producer that is told to stop).</summary>
    public void StopProducing() => LoseConnection();

    /// <summary>Attaches a producer (see <see cref="RawRegisterProducer"/>).</summary>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (_layer is { } layer) layer.RegisterProducer(producer, streaming);
        else RawRegisterProducer(producer, streaming);
    }

    /// <summary>Detaches the registered producer, if any.</summary>
    public void UnregisterProducer()
    {
        if (_layer is { } layer) layer.UnregisterProducer();
        else RawUnregisterProducer();
    }

    /// <inheritdoc/>
    void IStreamLayerHost.EnsureLayerCanAttach()
    {
        if (_layer is not null) throw new InvalidOperationException("TLS was already started on this connection.");
        if (!_connected || _disconnecting || _aborting || _writeShutdownRequested || _readClosed)
        {
            throw new InvalidOperationException("StartTls needs an open connection: this one is closed or closing.");
        }
    }

    /// <inheritdoc/>
    void IStreamLayerHost.AttachLayer(IStreamLayer layer)
    {
        ((IStreamLayerHost)this).EnsureLayerCanAttach();
        _layer = layer;
        _protocol = layer;
    }

    /// <inheritdoc/>
    void IStreamLayerHost.DetachLayer(IStreamLayer layer, IProtocol application, bool applicationPaused)
    {
        if (!ReferenceEquals(_layer, layer)) return;
        _layer = null;
        _protocol = application;
        // The layer may have paused reading for its own buffering; only the application's pause stays.
        if (!applicationPaused) RawResumeProducing();
    }

    /// <inheritdoc/>
    void IStreamLayerHost.DeliverPlaintext(ReadOnlySpan<byte> plaintext)
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
