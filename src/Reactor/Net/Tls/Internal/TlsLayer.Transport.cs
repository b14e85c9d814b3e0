using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>The transport face the application sees: producers, addresses, and what the handshake settled.</summary>
internal sealed partial class TlsLayer : ITlsTransport, IWriteBuffer
{
    private long _highWaterMark = IWriteBuffer.DefaultHighWaterMark;
    private long _lowWaterMark;

    private ProducerMembrane? _producer;
    private X509Certificate2? _peerCertificate;
    private SslProtocols? _protocolVersion;
    private SslApplicationProtocol? _negotiatedProtocol;
    private TlsCipherSuite? _cipherSuite;

    /// <inheritdoc/>
    public bool IsHandshakeComplete => _handshakeDone;

    /// <inheritdoc/>
    public bool Disconnecting => _plain ? _underlying!.Disconnecting : _disconnecting || _aborted;

    /// <inheritdoc/>
    public SslProtocols? ProtocolVersion => _protocolVersion;

    /// <inheritdoc/>
    public SslApplicationProtocol? NegotiatedProtocol => _negotiatedProtocol;

    /// <inheritdoc/>
    public TlsCipherSuite? NegotiatedCipherSuite => _cipherSuite;

    /// <inheritdoc/>
    public X509Certificate2? GetPeerCertificate() => _peerCertificate;

    /// <summary>Plaintext held here plus ciphertext waiting in the transport underneath.</summary>
    public long PendingBytes => _held.Length + ((_underlying as IWriteBuffer)?.PendingBytes ?? 0);

    /// <summary>The high-water mark of the transport underneath, which pauses a registered producer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or below <see cref="LowWaterMark"/>.</exception>
    public long HighWaterMark
    {
        get => (_underlying as IWriteBuffer)?.HighWaterMark ?? _highWaterMark;
        set
        {
            if (_underlying is IWriteBuffer buffer)
            {
                buffer.HighWaterMark = value;
                return;
            }
            if (value < 0 || value < _lowWaterMark) throw new ArgumentOutOfRangeException(nameof(HighWaterMark), value, "The high-water mark must be at least 0 and at least the low-water mark.");
            _highWaterMark = value;
        }
    }

    /// <summary>The low-water mark of the transport underneath, at which a paused producer resumes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or above <see cref="HighWaterMark"/>.</exception>
    public long LowWaterMark
    {
        get => (_underlying as IWriteBuffer)?.LowWaterMark ?? _lowWaterMark;
        set
        {
            if (_underlying is IWriteBuffer buffer)
            {
                buffer.LowWaterMark = value;
                return;
            }
            if (value < 0 || value > _highWaterMark) throw new ArgumentOutOfRangeException(nameof(LowWaterMark), value, "The low-water mark must be at least 0 and at most the high-water mark.");
            _lowWaterMark = value;
        }
    }

    /// <inheritdoc/>
    public EndPoint GetPeer() => Underlying.GetPeer();

    /// <inheritdoc/>
    public EndPoint GetHost() => Underlying.GetHost();

    /// <summary>
    /// Registers <paramref name="producer"/> on the transport underneath, behind a membrane, so
    /// that its full buffer pauses it exactly as on a plain connection; the TLS layer also pauses
    /// it while it holds writes during the handshake.
    /// </summary>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (_plain)
        {
            DownRegisterProducer(producer, streaming);
            return;
        }
        if (_producer is not null) throw new InvalidOperationException("A producer is already registered on this transport; unregister it first.");
        if (streaming && producer is not IPushProducer)
        {
            throw new ArgumentException("A streaming producer must implement IPushProducer.", nameof(producer));
        }
        if (!streaming && producer is not IPullProducer)
        {
            throw new ArgumentException("A non-streaming producer must implement IPullProducer.", nameof(producer));
        }
        if (_lost || _aborted || _underlying is null || _underlyingGone)
        {
            producer.StopProducing();
            return;
        }
        var membrane = new ProducerMembrane(producer, streaming);
        _producer = membrane;
        DownRegisterProducer(membrane, streaming);
        if (!_held.IsEmpty) membrane.SetHeldByTls(true);
    }

    /// <inheritdoc/>
    public void UnregisterProducer()
    {
        if (_plain)
        {
            DownUnregisterProducer();
            return;
        }
        if (_producer is null) return;
        _producer = null;
        if (!_underlyingGone && _underlying is not null) DownUnregisterProducer();
    }

    /// <summary>Stopping the transport as a producer closes it, as on a plain transport.</summary>
    public void StopProducing() => LoseConnection();

    /// <summary>Keeps what the handshake settled, so it stays readable after the session is released.</summary>
    private void CaptureSessionDetails()
    {
        _protocolVersion = _ssl.SslProtocol;
        _cipherSuite = _ssl.NegotiatedCipherSuite;
        var alpn = _ssl.NegotiatedApplicationProtocol;
        _negotiatedProtocol = alpn.Protocol.IsEmpty ? null : alpn;
        // SslStream disposes its copy of the peer's certificate with itself: keep our own.
        if (_ssl.RemoteCertificate is { } remote) _peerCertificate = X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
    }
}
