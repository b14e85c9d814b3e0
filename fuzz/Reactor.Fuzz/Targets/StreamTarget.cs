using Reactor.Protocols;
using Reactor.Testing;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// A target for a protocol that parses a byte stream. The input's first byte seeds how the rest is
/// cut into reads; the protocol is run on each cut (whole, byte by byte, seeded chunks) over a
/// <see cref="StringTransport"/>, and every run must deliver the same events and write the same
/// bytes. A protocol that pauses itself is resumed after each read, so held-back data is parsed too.
/// </summary>
public abstract class StreamTarget : FuzzTarget
{
    /// <summary>A fresh protocol that records what it is given into <paramref name="log"/>.</summary>
    protected abstract Protocol Create(EventLog log);

    /// <summary>
    /// Checks the protocol's own limits after a read: its buffer stays bounded by its maximum
    /// plus what one read can bring while it is paused (<paramref name="longestRead"/>).
    /// </summary>
    protected virtual void CheckBounds(Protocol protocol, int longestRead) { }

    /// <summary>Whether the protocol is paused and should be resumed.</summary>
    protected virtual bool IsPaused(Protocol protocol) => false;

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> input)
    {
        var (seed, stream) = Chunking.Split(input);
        EventLog? reference = null;
        foreach (var sizes in Chunking.Cuts(seed, stream.Length))
        {
            var log = RunOnce(stream, sizes);
            if (reference is null) reference = log;
            else reference.AssertSameAs(log, $"{Name}: the stream cut into {sizes.Length} reads");
        }
    }

    /// <summary>Runs one protocol over <paramref name="stream"/> cut as <paramref name="sizes"/> says; returns what it did.</summary>
    public EventLog RunOnce(byte[] stream, int[] sizes)
    {
        var log = new EventLog();
        var protocol = Create(log);
        var transport = new StringTransport();
        protocol.MakeConnection(transport);
        var longestRead = 0;
        Chunking.Feed(stream, sizes, chunk =>
        {
            longestRead = Math.Max(longestRead, chunk.Length);
            if (transport.Disconnecting) return; // a real transport stops reading once closing
            protocol.DataReceived(chunk.Span);
            CheckBounds(protocol, longestRead);
            // Resume at most as often as the protocol could have paused itself: bounded.
            for (var i = 0; i <= stream.Length && IsPaused(protocol) && !transport.Disconnecting; i++)
            {
                ((IPushProducer)protocol).ResumeProducing();
                CheckBounds(protocol, longestRead);
            }
        });
        log.Add("written", transport.Written);
        if (transport.Disconnecting) log.Add("closed");
        return log;
    }
}
