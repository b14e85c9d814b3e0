using System.Buffers;
using System.Net;
using System.Text;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>
/// A transport that records what a protocol does to it instead of touching a socket (Twisted's
/// <c>twisted.internet.testing.StringTransport</c>): the bytes written, whether the connection
/// was closed or aborted, the registered producer, and whether the protocol paused reading.
/// </summary>
/// <remarks>
/// Nothing is ever delivered to a protocol by this transport: a test calls
/// <c>protocol.DataReceived</c> itself. Like every transport in the library it drops writes made
/// after <see cref="LoseConnection"/> or <see cref="AbortConnection"/> (counted in
/// <see cref="BytesDroppedAfterClose"/>), so a test sees what the peer would see.
/// </remarks>
public class StringTransport : ITcpTransport
{
    /// <summary>The peer address used when none is given: 192.168.1.1:54321, as in Twisted.</summary>
    public static readonly IPEndPoint DefaultPeer = new(IPAddress.Parse("192.168.1.1"), 54321);

    /// <summary>The host address used when none is given: 10.0.0.1:12345, as in Twisted.</summary>
    public static readonly IPEndPoint DefaultHost = new(IPAddress.Parse("10.0.0.1"), 12345);

    private readonly ArrayBufferWriter<byte> _written = new();
    private readonly EndPoint _host;
    private readonly EndPoint _peer;
    private readonly bool _lenient;

    /// <summary>Creates a transport with the given addresses (Twisted's defaults when null).</summary>
    /// <param name="host">What <see cref="GetHost"/> returns.</param>
    /// <param name="peer">What <see cref="GetPeer"/> returns.</param>
    /// <param name="lenient">
    /// When false (the default), pausing or resuming the transport after
    /// <see cref="LoseConnection"/> throws, since a real transport would never read again; true
    /// accepts it, for protocols whose shutdown order is not under test.
    /// </param>
    public StringTransport(EndPoint? host = null, EndPoint? peer = null, bool lenient = false)
    {
        _host = host ?? DefaultHost;
        _peer = peer ?? DefaultPeer;
        _lenient = lenient;
    }

    /// <summary>Every byte written so far (since the last <see cref="Clear"/>), in order.</summary>
    public ReadOnlySpan<byte> Written => _written.WrittenSpan;

    /// <summary>A copy of every byte written so far (Twisted's <c>value()</c>).</summary>
    public byte[] Value() => _written.WrittenSpan.ToArray();

    /// <summary>The bytes written so far decoded as UTF-8, for readable assertions.</summary>
    public string ValueAsString() => Encoding.UTF8.GetString(_written.WrittenSpan);

    /// <summary>Forgets the bytes written so far (Twisted's <c>clear()</c>).</summary>
    public void Clear() => _written.ResetWrittenCount();

    /// <summary>How many times <see cref="Write"/> or <see cref="WriteSequence"/> accepted data.</summary>
    public int WriteCount { get; private set; }

    /// <summary>Bytes written after the connection was closed, which a real transport drops.</summary>
    public long BytesDroppedAfterClose { get; private set; }

    /// <inheritdoc/>
    public bool Disconnecting { get; private set; }

    /// <summary>True once <see cref="AbortConnection"/> was called (Twisted's <c>disconnected</c>).</summary>
    public bool Disconnected { get; private set; }

    /// <summary>True once <see cref="LoseWriteConnection"/> was called.</summary>
    public bool WriteDisconnected { get; private set; }

    /// <summary>The producer registered with <see cref="RegisterProducer"/>, or null.</summary>
    public IProducer? Producer { get; private set; }

    /// <summary>Whether the registered producer is a streaming (push) producer.</summary>
    public bool Streaming { get; private set; }

    /// <summary>What the protocol last asked of this transport as a producer of incoming data.</summary>
    public ProducerState ProducerState { get; private set; } = ProducerState.Producing;

    /// <inheritdoc/>
    public virtual void Write(ReadOnlySpan<byte> data)
    {
        if (Disconnecting || Disconnected || WriteDisconnected)
        {
            BytesDroppedAfterClose += data.Length;
            return;
        }
        _written.Write(data);
        WriteCount++;
    }

    /// <inheritdoc/>
    public virtual void WriteSequence(ReadOnlySequence<byte> data)
    {
        if (Disconnecting || Disconnected || WriteDisconnected)
        {
            BytesDroppedAfterClose += data.Length;
            return;
        }
        foreach (var segment in data) _written.Write(segment.Span);
        WriteCount++;
    }

    /// <inheritdoc/>
    public virtual void LoseConnection() => Disconnecting = true;

    /// <inheritdoc/>
    public virtual void LoseWriteConnection() => WriteDisconnected = true;

    /// <inheritdoc/>
    public virtual void AbortConnection()
    {
        Disconnecting = true;
        Disconnected = true;
    }

    /// <inheritdoc/>
    public EndPoint GetPeer() => _peer;

    /// <inheritdoc/>
    public EndPoint GetHost() => _host;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The producer's kind does not match <paramref name="streaming"/>.</exception>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (Producer is not null) throw new InvalidOperationException("Cannot register two producers on one transport.");
        if (streaming && producer is not IPushProducer)
        {
            throw new ArgumentException("A streaming producer must implement IPushProducer.", nameof(producer));
        }
        if (!streaming && producer is not IPullProducer)
        {
            throw new ArgumentException("A non-streaming producer must implement IPullProducer.", nameof(producer));
        }
        Producer = producer;
        Streaming = streaming;
    }

    /// <inheritdoc/>
    public void UnregisterProducer()
    {
        Producer = null;
        Streaming = false;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Called after <see cref="LoseConnection"/> on a non-lenient transport.</exception>
    public void PauseProducing()
    {
        CheckStillReading();
        ProducerState = ProducerState.Paused;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Called after <see cref="LoseConnection"/> on a non-lenient transport.</exception>
    public void ResumeProducing()
    {
        CheckStillReading();
        ProducerState = ProducerState.Producing;
    }

    /// <inheritdoc/>
    public void StopProducing() => ProducerState = ProducerState.Stopped;

    /// <summary>TCP_NODELAY as last set (false by default, as Nagle is on by default).</summary>
    public bool NoDelay { get; private set; }

    /// <summary>SO_KEEPALIVE as last set (false by default).</summary>
    public bool KeepAlive { get; private set; }

    /// <inheritdoc/>
    public bool GetTcpNoDelay() => NoDelay;

    /// <inheritdoc/>
    public void SetTcpNoDelay(bool enabled) => NoDelay = enabled;

    /// <inheritdoc/>
    public bool GetTcpKeepAlive() => KeepAlive;

    /// <inheritdoc/>
    public void SetTcpKeepAlive(bool enabled) => KeepAlive = enabled;

    private void CheckStillReading()
    {
        if (Disconnecting && !_lenient)
        {
            throw new InvalidOperationException("Cannot pause or resume producing after LoseConnection (create the StringTransport with lenient: true to allow it).");
        }
    }
}
