using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
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
/// layer after it, and sends the application's calls through the layer from then on. It also
/// records the raw bytes it received, to show what crossed the wire.
/// </summary>
internal sealed class UpgradableTransport : IProtocol, IHalfCloseableProtocol, IStreamTransport, IStartTls
{
    private readonly IProtocol _application;
    private readonly IReactorTime _clock;
    private readonly MemoryStream _wire = new();
    private FakeTransport _raw = null!;
    private IProtocol _receiver;
    private TlsLayer? _tls;

    public UpgradableTransport(IProtocol application, IReactorTime clock)
    {
        _application = application;
        _receiver = application;
        _clock = clock;
    }

    public byte[] WireBytesReceived => _wire.ToArray();

    private TlsLayer? Up => _tls is { IsCallingDown: false } layer ? layer : null;

    public ITlsTransport StartTls(TlsOptions options)
    {
        if (_tls is not null) throw new InvalidOperationException("TLS was already started on this connection.");
        var layer = StartTlsSupport.Create(_receiver, options, _clock, NullLogger.Instance);
        _tls = layer;
        _receiver = layer;
        layer.MakeConnection(this);
        return layer;
    }

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

    // The transport face, redirected through TLS after the upgrade.
    public bool Disconnecting => Up?.Disconnecting ?? _raw.Disconnecting;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (Up is { } tls) tls.Write(data);
        else _raw.Write(data);
    }

    public void WriteSequence(ReadOnlySequence<byte> data)
    {
        if (Up is { } tls) tls.WriteSequence(data);
        else _raw.WriteSequence(data);
    }

    public void LoseConnection()
    {
        if (Up is { } tls) tls.LoseConnection();
        else _raw.LoseConnection();
    }

    public void LoseWriteConnection()
    {
        if (Up is { } tls) tls.LoseWriteConnection();
        else _raw.LoseWriteConnection();
    }

    public void AbortConnection()
    {
        if (Up is { } tls) tls.AbortConnection();
        else _raw.AbortConnection();
    }

    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (Up is { } tls) tls.RegisterProducer(producer, streaming);
        else _raw.RegisterProducer(producer, streaming);
    }

    public void UnregisterProducer()
    {
        if (Up is { } tls) tls.UnregisterProducer();
        else _raw.UnregisterProducer();
    }

    public void PauseProducing()
    {
        if (Up is { } tls) tls.PauseProducing();
        else _raw.PauseProducing();
    }

    public void ResumeProducing()
    {
        if (Up is { } tls) tls.ResumeProducing();
        else _raw.ResumeProducing();
    }

    public void StopProducing() => LoseConnection();

    public EndPoint GetPeer() => _raw.GetPeer();

    public EndPoint GetHost() => _raw.GetHost();
}
