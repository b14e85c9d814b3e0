using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Defer;
using Reactor.Protocols;
using Reactor.Time;
using Reactor.Web.Http;
using Reactor.Web.Server;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// Reactor.Web's request parser: the server channel (request line, headers, Content-Length and
/// chunked bodies read whole or streamed, pipelining, 100-continue, the 4xx/5xx answers and the
/// close after them) serving a small tree with small limits. Whatever the client sends: nothing
/// escapes the channel, nothing is logged as an error, and the requests the resources see, the
/// body pieces they are given and the bytes written back are the same however the stream is cut.
/// </summary>
public sealed class HttpRequestTarget : StreamTarget
{
    private static readonly HttpDate FixedDate = new(() => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    private static readonly HttpServerOptions Limits = new()
    {
        MaxRequestLineBytes = 256,
        MaxHeaderBytes = 512,
        MaxHeaderCount = 16,
        MaxBodyBytes = 1024,
    };

    private ErrorLog? _errors;

    /// <inheritdoc/>
    public override string Name => "http-request";

    /// <inheritdoc/>
    protected override Protocol Create(EventLog log)
    {
        _errors = new ErrorLog();
        var root = new Resource();
        root.PutChild("", new DelegateResource(r =>
        {
            log.Add("request", System.Text.Encoding.Latin1.GetBytes(r.Method + " " + r.Uri + " " + r.GetHeader("host")));
            r.Write("ok");
        }));
        root.PutChild("echo", new DelegateResource(r =>
        {
            log.Add("echo", r.Content.Span);
            // Decoded arguments may hold any byte: logged, not echoed in a header (which refuses control bytes).
            log.Add("args", System.Text.Encoding.UTF8.GetBytes(string.Join("&", r.Args.Select(a => a.Key + "=" + string.Join(",", a.Value)))));
            r.Write(r.Content.Span);
        }));
        root.PutChild("stream", new StreamedBody(log));
        var site = new Site(root, new Clock(), Limits, _errors, FixedDate);
        return (Protocol)site.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 1))!;
    }

    /// <inheritdoc/>
    protected override void CheckBounds(Protocol protocol, int longestRead)
    {
        if (_errors?.First is { } error) throw new FuzzFinding("the server logged an error: " + error);
    }

    /// <summary>Streams the request body to a <see cref="BodyLog"/>, which finishes the response (NOT_DONE_YET).</summary>
    private sealed class StreamedBody(EventLog log) : Resource
    {
        public override bool IsLeaf => true;

        public override bool StreamRequestBody => true;

        public override RenderResult Render(Request request)
        {
            request.DeliverBody(new BodyLog(log, request));
            return RenderResult.NotDoneYet;
        }
    }

    /// <summary>A streamed request body: logs each piece, answers with the byte count at the end.</summary>
    private sealed class BodyLog(EventLog log, Request request) : Protocol
    {
        private long _bytes;

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _bytes += data.Length;
            log.AddRaw(data);
        }

        public override void ConnectionLost(Failure reason)
        {
            log.Add("body end " + reason.Value.GetType().Name);
            if (reason.Value is not ResponseDone || request.Finished) return; // the channel answers a broken body itself
            request.Write(_bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Finish();
        }
    }

    /// <summary>Keeps the first error-level message: a hostile peer must never cause one.</summary>
    private sealed class ErrorLog : ILogger
    {
        public string? First { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) First ??= formatter(state, exception) + " " + exception;
        }
    }
}
