using System.Buffers;
using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Buffers;

namespace Reactor.Testing;

/// <summary>
/// One end of an in-memory connection driven by a <see cref="LoopbackPump"/> (Twisted's
/// <c>iosim.FakeTransport</c>). Writes are queued until the pump delivers them to the other
/// end's protocol; closing, half-closing and aborting are reported by the pump in the order a
/// TCP connection would report them.
/// </summary>
/// <remarks>
/// Backpressure works as on a real transport: when more than <see cref="HighWaterMark"/> bytes
/// wait to be delivered, a registered streaming producer is paused, and it is resumed once the
/// queue has drained. A protocol that pauses its transport stops receiving data (the pump holds
/// the bytes, so the sender's queue grows and its producer is paused in turn).
/// </remarks>
public sealed class FakeTransport : ITcpTransport
{
    private readonly ByteQueue _output = new();
    private readonly EndPoint _host;
    private readonly EndPoint _peer;
    private bool _noDelay;
    private bool _keepAlive;

    internal FakeTransport(IProtocol protocol, bool isServer, EndPoint host, EndPoint peer)
    {
        Protocol = protocol;
        IsServer = isServer;
        _host = host;
        _peer = peer;
    }

    /// <summary>The protocol this end delivers to.</summary>
    public IProtocol Protocol { get; }

    /// <summary>True for the accepting side of the connection.</summary>
    public bool IsServer { get; }

    /// <summary>Bytes written by this end and not yet delivered to the other end.</summary>
    public int PendingOutput => _output.Length;

    /// <summary>
    /// The queued-output size past which a streaming producer is paused (strictly greater, as
    /// Twisted). Defaults to 65,536 bytes.
    /// </summary>
    public int HighWaterMark { get; set; } = 64 * 1024;

    /// <inheritdoc/>
    public bool Disconnecting { get; private set; }

    /// <summary>True once <see cref="LoseWriteConnection"/> was called.</summary>
    public bool WriteDisconnecting { get; private set; }

    /// <summary>True once <see cref="AbortConnection"/> was called.</summary>
    public bool Aborted { get; private set; }

    /// <summary>True once this end's protocol has been told the connection is gone.</summary>
    public bool Disconnected { get; internal set; }

    /// <summary>True once this end's write side has been shut (its FIN reached the other end).</summary>
    public bool WriteClosed { get; internal set; }

    /// <summary>True once the other end's FIN has been delivered to this end's protocol.</summary>
    public bool ReadClosed { get; internal set; }

    /// <summary>True while this end's protocol has paused reading (<see cref="PauseProducing"/>).</summary>
    public bool ReadingPaused { get; private set; }

    /// <summary>The producer registered on this end, or null.</summary>
    public IProducer? Producer { get; private set; }

    /// <summary>Whether the registered producer is a streaming (push) producer.</summary>
    public bool Streaming { get; private set; }

    /// <summary>True while this transport holds its streaming producer paused.</summary>
    public bool ProducerPaused { get; private set; }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!CanWrite) return;
        _output.Append(data);
        PauseProducerIfFull();
    }

    /// <inheritdoc/>
    public void WriteSequence(ReadOnlySequence<byte> data)
    {
        if (!CanWrite) return;
        foreach (var segment in data) _output.Append(segment.Span);
        PauseProducerIfFull();
    }

    /// <inheritdoc/>
    public void LoseConnection() => Disconnecting = true;

    /// <inheritdoc/>
    public void LoseWriteConnection() => WriteDisconnecting = true;

    /// <inheritdoc/>
    public void AbortConnection()
    {
        if (Disconnected) return;
        Aborted = true;
        Disconnecting = true;
        _output.Clear();
    }

    /// <inheritdoc/>
    public EndPoint GetPeer() => _peer;

    /// <inheritdoc/>
    public EndPoint GetHost() => _host;

    /// <inheritdoc/>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (Producer is not null) throw new InvalidOperationException("Cannot register two producers on one transport.");
        if (streaming ? producer is not IPushProducer : producer is not IPullProducer)
        {
            throw new ArgumentException(streaming
                ? "A streaming producer must implement IPushProducer."
                : "A non-streaming producer must implement IPullProducer.", nameof(producer));
        }
        if (Disconnected)
        {
            // As Twisted: a producer registered on a closed connection is stopped at once.
            producer.StopProducing();
            return;
        }
        Producer = producer;
        Streaming = streaming;
        ProducerPaused = false;
        if (!streaming) ((IPullProducer)producer).ResumeProducing();
    }

    /// <inheritdoc/>
    public void UnregisterProducer()
    {
        Producer = null;
        Streaming = false;
        ProducerPaused = false;
    }

    /// <inheritdoc/>
    public void PauseProducing() => ReadingPaused = true;

    /// <inheritdoc/>
    public void ResumeProducing()
    {
        if (!Disconnecting) ReadingPaused = false;
    }

    /// <inheritdoc/>
    public void StopProducing() => LoseConnection();

    /// <inheritdoc/>
    public bool GetTcpNoDelay() => _noDelay;

    /// <inheritdoc/>
    public void SetTcpNoDelay(bool enabled) => _noDelay = enabled;

    /// <inheritdoc/>
    public bool GetTcpKeepAlive() => _keepAlive;

    /// <inheritdoc/>
    public void SetTcpKeepAlive(bool enabled) => _keepAlive = enabled;

    private bool CanWrite => !Disconnecting && !WriteDisconnecting && !Disconnected;

    internal ReadOnlySpan<byte> PeekOutput() => _output.Span;

    internal void ConsumeOutput(int count)
    {
        _output.Consume(count);
        if (_output.Length == 0 && ProducerPaused && Producer is IPushProducer push)
        {
            ProducerPaused = false;
            push.ResumeProducing();
        }
    }

    /// <summary>Gives a pull producer its turn when nothing is queued; true if it was asked.</summary>
    internal bool PollPullProducer()
    {
        if (Producer is IPullProducer pull && !Streaming && _output.Length == 0 && !Disconnected)
        {
            pull.ResumeProducing();
            return true;
        }
        return false;
    }

    /// <summary>A registered pull producer, or a paused push producer, keeps a closing connection open.</summary>
    internal bool ProducerHoldsConnection => Producer is not null && (!Streaming || ProducerPaused);

    internal void ReportLost(ConnectionError reason)
    {
        if (Disconnected) return;
        Disconnected = true;
        _output.Clear();
        var producer = Producer;
        Producer = null;
        producer?.StopProducing();
        Protocol.ConnectionLost(new Failure(reason));
    }

    private void PauseProducerIfFull()
    {
        if (_output.Length > HighWaterMark && Streaming && !ProducerPaused && Producer is IPushProducer push)
        {
            ProducerPaused = true;
            push.PauseProducing();
        }
    }
}
