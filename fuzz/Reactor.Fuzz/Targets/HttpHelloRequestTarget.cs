using System.Net;
using Reactor.Examples.HttpHello;
using Reactor.Protocols;
using Reactor.Time;
using Reactor.Web.Http;
using Reactor.Web.Server;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// HttpHello's request parsing — Reactor.Web's HTTP/1.1 server channel serving HttpHello's site
/// (request line, headers, bodies, pipelining, the 4xx/5xx answers and the close after them):
/// whatever the client sends, the same bytes come back however the stream is cut, and nothing
/// escapes the protocol.
/// </summary>
public sealed class HttpHelloRequestTarget : StreamTarget
{
    private static readonly HttpDate FixedDate = new(() => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    /// <inheritdoc/>
    public override string Name => "http";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log)
    {
        var site = new Site(new HelloResource(), new Clock(), new HttpServerOptions { MaxRequestLineBytes = 512, MaxHeaderBytes = 512 }, date: FixedDate);
        return (Protocol)site.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 1))!;
    }

    /// <inheritdoc/>
    protected override bool IsPaused(Protocol protocol) => false;
}
