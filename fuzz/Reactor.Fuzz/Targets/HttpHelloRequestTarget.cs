using Reactor.Time;
using Reactor.Examples.HttpHello;
using Reactor.Protocols;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// HttpHello's request parsing (request line, headers, Content-Length bodies, pipelining, the
/// 400/414/431/501/505 answers and the close after them): whatever the client sends, the same bytes
/// come back however the stream is cut, and nothing escapes the protocol.
/// </summary>
public sealed class HttpHelloRequestTarget : StreamTarget
{
    private static readonly HttpDate FixedDate = new(() => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    /// <inheritdoc/>
    public override string Name => "http";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log) => new HttpHelloProtocol(new Clock(), FixedDate, maxHeaderBytes: 512);

    /// <inheritdoc/>
    protected override bool IsPaused(Protocol protocol) => ((HttpHelloProtocol)protocol).Paused;
}
