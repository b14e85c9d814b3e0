using System.Net;

namespace Reactor.Net.Blocking;

/// <summary>One accepted connection as a blocking handler sees it (socketserver's <c>self.request</c> and <c>self.client_address</c>).</summary>
public sealed class BlockingConnection
{
    internal BlockingConnection(System.IO.Stream stream, EndPoint peer, EndPoint host, long sequence)
    {
        Stream = stream;
        Peer = peer;
        Host = host;
        Sequence = sequence;
    }

    /// <summary>
    /// The connection as a blocking stream: <c>Read</c> blocks until data or end-of-stream (0 after
    /// the peer's FIN), <c>Write</c> blocks while the output is full, <c>Flush</c> waits until the
    /// reactor thread has taken everything written. Disposing it closes the connection after
    /// pending output (the worker does that when the handler returns).
    /// </summary>
    public System.IO.Stream Stream { get; }

    /// <summary>The peer's address.</summary>
    public EndPoint Peer { get; }

    /// <summary>Our address.</summary>
    public EndPoint Host { get; }

    /// <summary>The connection's number in arrival order (0 first) on this factory.</summary>
    public long Sequence { get; }
}
