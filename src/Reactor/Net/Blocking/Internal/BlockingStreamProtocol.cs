using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Net.Blocking.Internal;

/// <summary>
/// The reactor-thread half of a blocking connection: buffers what arrives (pausing the transport
/// at the input limit) for the worker's reads, and is the push producer the transport pauses when
/// its output is full, which blocks the worker's writes.
/// </summary>
internal sealed class BlockingStreamProtocol : Protocol, IHalfCloseableProtocol, IPushProducer
{
    private readonly BlockingHandlerFactory _factory;
    private readonly ReactorLoop _reactor;

    public BlockingStreamProtocol(BlockingHandlerFactory factory, BlockingHandlerOptions options, ReactorLoop reactor)
    {
        _factory = factory;
        _reactor = reactor;
        Stream = new BlockingSocketStream(this, options);
    }

    /// <summary>The worker's side.</summary>
    public BlockingSocketStream Stream { get; }

    /// <summary>The connection handed to the handler (made once admitted).</summary>
    public BlockingConnection Connection { get; private set; } = null!;

    /// <summary>Arrival order, set when admitted.</summary>
    public long Sequence { get; private set; }

    /// <summary>The peer (for logs).</summary>
    public EndPoint? Peer => TransportOrNull?.GetPeer();

    /// <summary>The reactor, for the stream's hand-offs.</summary>
    public ReactorLoop Reactor => _reactor;

    public override void ConnectionMade()
    {
        Transport.RegisterProducer(this, streaming: true);
        Connection = new BlockingConnection(Stream, Transport.GetPeer(), Transport.GetHost(), -1);
        if (!_factory.Admit(this))
        {
            Stream.MarkRefused();
            Transport.LoseConnection();
        }
    }

    /// <summary>Called by the factory on the reactor thread just before the connection is queued for a worker.</summary>
    internal void Admitted(long sequence)
    {
        Sequence = sequence;
        Connection = new BlockingConnection(Stream, Transport.GetPeer(), Transport.GetHost(), sequence);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (Stream.Received(data)) Transport.PauseProducing();
    }

    public void ReadConnectionLost() => Stream.EndOfInput();

    public void WriteConnectionLost() { }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        Stream.Lost(reason.Value);
    }

    // ---- the transport as consumer pauses and resumes us (its output is above / below its marks) ----

    public void PauseProducing() => Stream.SetWritePaused(true);

    public void ResumeProducing() => Stream.SetWritePaused(false);

    public void StopProducing() => Stream.Lost(new ConnectionDone());

    // ---- hand-offs from the worker, run on the reactor thread ----

    /// <summary>The handler read below half the input limit: read the socket again.</summary>
    public void ResumeReading()
    {
        if (Connected) Transport.ResumeProducing();
    }

    /// <summary>Writes a chunk the handler wrote.</summary>
    public void WriteChunk(byte[] chunk, int length)
    {
        if (Connected) Transport.Write(chunk.AsSpan(0, length));
        Stream.Taken(length);
    }

    /// <summary>The handler is done: close after pending output.</summary>
    public void Close()
    {
        if (Connected) Transport.LoseConnection();
    }
}
