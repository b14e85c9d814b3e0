using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Stream;
using Reactor.Net.Tls.Internal;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// An in-memory plain transport with STARTTLS, built the way a socket transport implements
/// <see cref="IStartTls"/> with <see cref="StartTlsSupport"/>: it sits on a
/// <see cref="FakeTransport"/>, delivers to the application until the upgrade and to the TLS
/// layer after it, routes the application's calls through the layer from then on, and gives the
/// layer raw operations that go straight to the wire. It also records the raw bytes it received,
/// to show what crossed the wire.
/// </summary>
internal sealed class UpgradableTransport : IProtocol, IHalfCloseableProtocol, IStreamLayerHost, IStartTls
{
    private readonly IProtocol _application;
    private readonly IReactorTime _clock;
    private readonly MemoryStream _wire = new();
    private FakeTransport _raw = null!;
    private IProtocol _receiver;
    private IStreamLayer? _layer;
    private bool _tlsStarted;

    public UpgradableTransport(IProtocol application, IReactorTime clock)
    {
        _application = application;
        _receiver = application;
        _clock = clock;
    }

    public byte[] WireBytesReceived => _wire.ToArray();

    public IProtocol Protocol => _receiver;

    public ITlsTransport StartTls(TlsOptions options) => StartTlsSupport.Start(this, options, _clock, NullLogger.Instance);

    public void EnsureLayerCanAttach()
    {
        if (_tlsStarted) throw new InvalidOperationException("TLS was already started on this connection.");
    }

    public void AttachLayer(IStreamLayer layer)
    {
        EnsureLayerCanAttach();
        _tlsStarted = true;
        _layer = layer;
        _receiver = layer;
    }

    public void DetachLayer(IStreamLayer layer, IProtocol application, bool applicationPaused)
    {
        if (!ReferenceEquals(_layer, layer)) return;
        _layer = null;
        _receiver = application;
        if (!applicationPaused) _raw.ResumeProducing();
    }

    public void DeliverPlaintext(ReadOnlySpan<byte> plaintext) => _receiver.DataReceived(plaintext);

    // The protocol face, driven by the pump.
    public void MakeConnection(ITransport transport)
    {
        _raw = (FakeTransport)transport;
        _application.MakeConnection(this);
    }

    public void DataReceived(ReadOnlySpan<byte> data)
    {
        _wire.Write(data);
        _receiver.DataReceived(data);
    }

    public void ConnectionLost(Failure reason) => _receiver.ConnectionLost(reason);

    public void ReadConnectionLost()
    {
        if (_receiver is IHalfCloseableProtocol halfCloseable) halfCloseable.ReadConnectionLost();
        else _raw.LoseConnection();
    }

    public void WriteConnectionLost() => (_receiver as IHalfCloseableProtocol)?.WriteConnectionLost();

    // The transport face: routed through TLS after the upgrade.
    public bool Disconnecting => _layer?.Disconnecting ?? _raw.Disconnecting;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (_layer is { } tls) tls.Write(data);
        else _raw.Write(data);
    }

    public void WriteSequence(ReadOnlySequence<byte> data)
    {
        if (_layer is { } tls) tls.WriteSequence(data);
        else _raw.WriteSequence(data);
    }

    public void LoseConnection()
    {
        if (_layer is { } tls) tls.LoseConnection();
        else _raw.LoseConnection();
    }

    public void LoseWriteConnection()
    {
        if (_layer is { } tls) tls.LoseWriteConnection();
        else _raw.LoseWriteConnection();
    }

    public void AbortConnection()
    {
        if (_layer is { } tls) tls.AbortConnection();
        else _raw.AbortConnection();
    }

    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (_layer is { } tls) tls.RegisterProducer(producer, streaming);
        else _raw.RegisterProducer(producer, streaming);
    }

    public void UnregisterProducer()
    {
        if (_layer is { } tls) tls.UnregisterProducer();
        else _raw.UnregisterProducer();
    }

    public void PauseProducing()
    {
        if (_layer is { } tls) tls.PauseProducing();
        else _raw.PauseProducing();
    }

    public void ResumeProducing()
    {
        if (_layer is { } tls) tls.ResumeProducing();
        else _raw.ResumeProducing();
    }

    public void StopProducing() => LoseConnection();

    // The layer's way down: the wire itself, never routed.
    public void RawWrite(ReadOnlySpan<byte> data) => _raw.Write(data);

    public void RawLoseConnection() => _raw.LoseConnection();

    public void RawLoseWriteConnection() => _raw.LoseWriteConnection();

    public void RawAbortConnection() => _raw.AbortConnection();

    public void RawPauseProducing() => _raw.PauseProducing();

    public void RawResumeProducing() => _raw.ResumeProducing();

    public void RawRegisterProducer(IProducer producer, bool streaming) => _raw.RegisterProducer(producer, streaming);

    public void RawUnregisterProducer() => _raw.UnregisterProducer();

    public EndPoint GetPeer() => _raw.GetPeer();

    public EndPoint GetHost() => _raw.GetHost();
}
