using System.Buffers;
using System.Net;
using Reactor.Protocols;

namespace Reactor.Web.Http;

/// <summary>
/// The transport a body protocol sees (Twisted's <c>TransportProxyProducer</c>): pausing it stops
/// reading the connection the body comes from, and closing it stops delivery. A body cannot be
/// written back to: <see cref="Write"/> throws <see cref="NotSupportedException"/>.
/// </summary>
internal sealed class BodyTransport(IBodySource source) : ITransport
{
    public bool Disconnecting => source.BodyStopped;

    public void PauseProducing() => source.PauseBody();

    public void ResumeProducing() => source.ResumeBody();

    public void StopProducing() => source.StopBody();

    public void LoseConnection() => source.StopBody();

    public void Write(ReadOnlySpan<byte> data) => throw new NotSupportedException("A message body is read-only: write the response through the request.");

    public void WriteSequence(ReadOnlySequence<byte> data) => throw new NotSupportedException("A message body is read-only: write the response through the request.");

    public void RegisterProducer(IProducer producer, bool streaming) => throw new NotSupportedException("A message body is read-only.");

    public void UnregisterProducer() { }

    public EndPoint GetPeer() => source.Peer;

    public EndPoint GetHost() => source.Host;
}

/// <summary>Where a body comes from: the connection behind a <see cref="BodyTransport"/>.</summary>
internal interface IBodySource
{
    bool BodyStopped { get; }

    EndPoint Peer { get; }

    EndPoint Host { get; }

    void PauseBody();

    void ResumeBody();

    void StopBody();
}
