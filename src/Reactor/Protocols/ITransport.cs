using System.Buffers;
using System.Net;
using Reactor.Errors;

namespace Reactor.Protocols;

/// <summary>
/// The connection a protocol writes to (Twisted's <c>ITransport</c>). It is also a consumer (a
/// producer can be registered on it) and a push producer (pausing it stops reading).
/// </summary>
/// <remarks>
/// Writes after <see cref="LoseConnection"/> are dropped, on every transport (TCP, UNIX, TLS):
/// Twisted sends them over TCP but drops them over TLS; we pick one rule for all.
/// </remarks>
public interface ITransport : IConsumer, IPushProducer
{
    /// <summary>Queues every segment of <paramref name="data"/> for writing, in order.</summary>
    void WriteSequence(ReadOnlySequence<byte> data);

    /// <summary>
    /// Closes the connection once every pending write has been sent. The protocol then sees
    /// <c>ConnectionLost</c> with <see cref="ConnectionDone"/>.
    /// </summary>
    void LoseConnection();

    /// <summary>
    /// True once <see cref="LoseConnection"/> (or an abort) has been called on this transport
    /// (Twisted's <c>transport.disconnecting</c>). Framing receivers stop delivering the rest of a
    /// read once it is true, since nothing they write any more can reach the peer.
    /// </summary>
    /// <remarks>
    /// Defaults to false for transports that do not track it; every transport in this library
    /// overrides it.
    /// </remarks>
    bool Disconnecting => false;

    /// <summary>The address of the other side.</summary>
    EndPoint GetPeer();

    /// <summary>The address of this side.</summary>
    EndPoint GetHost();
}

/// <summary>A transport that can be closed at once and half-closed (Twisted's <c>ITCPTransport</c> minus TCP options).</summary>
public interface IStreamTransport : ITransport
{
    /// <summary>Closes the write side (FIN) after pending writes, keeping the read side open.</summary>
    void LoseWriteConnection();

    /// <summary>
    /// Drops pending writes and closes at once with RST. This side's protocol sees
    /// <see cref="ConnectionAborted"/>; the peer sees <see cref="ConnectionLost"/>.
    /// </summary>
    void AbortConnection();
}

/// <summary>A TCP connection (Twisted's <c>ITCPTransport</c>).</summary>
public interface ITcpTransport : IStreamTransport
{
    /// <summary>Whether Nagle's algorithm is off (TCP_NODELAY).</summary>
    bool GetTcpNoDelay();

    /// <summary>Turns Nagle's algorithm off (true) or on (false).</summary>
    void SetTcpNoDelay(bool enabled);

    /// <summary>Whether TCP keep-alive probes are on (SO_KEEPALIVE).</summary>
    bool GetTcpKeepAlive();

    /// <summary>Turns TCP keep-alive probes on or off.</summary>
    void SetTcpKeepAlive(bool enabled);
}
