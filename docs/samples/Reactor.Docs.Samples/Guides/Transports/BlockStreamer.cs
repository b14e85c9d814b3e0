using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Transports;

#region producer
/// <summary>
/// Streams <c>blocks</c> blocks of 16 KiB to a transport as fast as the peer takes them: a push
/// producer writes until the transport pauses it, and carries on when it is resumed.
/// </summary>
public sealed class BlockStreamer(ITransport transport, int blocks) : IPushProducer
{
    private readonly byte[] _block = new byte[16 * 1024];
    private int _sent;
    private bool _paused;
    private bool _done;

    /// <summary>How many times the transport paused this producer (its output passed the high-water mark).</summary>
    public int Pauses { get; private set; }

    /// <summary>Registers with the transport and starts writing.</summary>
    public void Start()
    {
        transport.RegisterProducer(this, streaming: true);
        ResumeProducing();
    }

    /// <summary>The transport's pending output passed its high-water mark: stop writing.</summary>
    public void PauseProducing()
    {
        _paused = true;
        Pauses++;
    }

    /// <summary>The output drained to the low-water mark: write until paused again or done.</summary>
    public void ResumeProducing()
    {
        _paused = false;
        while (!_paused && !_done && _sent < blocks)
        {
            _block.AsSpan().Fill((byte)('a' + _sent % 26));
            _sent++;
            transport.Write(_block); // may call PauseProducing before it returns
        }
        if (_sent == blocks && !_done) Finish();
    }

    /// <summary>The connection is gone: never write again.</summary>
    public void StopProducing() => _done = true;

    private void Finish()
    {
        _done = true;
        transport.UnregisterProducer();
        transport.LoseConnection(); // after everything queued has been sent
    }
}
#endregion

#region protocol
/// <summary>Sends its client a fixed number of blocks, with a smaller high-water mark than the default.</summary>
public sealed class Download(int blocks) : Protocol
{
    /// <summary>The producer of this connection, once connected.</summary>
    public BlockStreamer? Streamer { get; private set; }

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        if (Transport is IWriteBuffer buffer)
        {
            buffer.HighWaterMark = 256 * 1024; // pause the producer above 256 KiB pending...
            buffer.LowWaterMark = 64 * 1024;   // ...and resume it once 64 KiB or less is left
        }
        Streamer = new BlockStreamer(Transport, blocks);
        Streamer.Start();
    }
}
#endregion
