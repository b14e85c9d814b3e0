using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Client;
using Reactor.Web.Http;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// Reactor.Web's response parser: the Agent's connection (status line, headers, Content-Length,
/// chunked and read-until-close bodies, interim 1xx responses, keep-alive reuse for up to three
/// requests) fed what a hostile server sends. The input's second byte picks the request method
/// (GET or HEAD) and whether the body reader pauses after every piece. Whatever the server sends:
/// nothing escapes the connection, every request ends (a response whose body ends, or a failure),
/// and what the caller sees is the same however the stream is cut.
/// </summary>
public sealed class HttpResponseTarget : FuzzTarget
{
    private const int Requests = 3;

    /// <inheritdoc/>
    public override string Name => "http-response";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> input)
    {
        var (seed, rest) = Chunking.Split(input);
        var (mode, stream) = Chunking.Split(rest);
        EventLog? reference = null;
        foreach (var sizes in Chunking.Cuts(seed, stream.Length))
        {
            var log = RunOnce(stream, sizes, head: (mode & 1) != 0, pausing: (mode & 2) != 0);
            if (reference is null) reference = log;
            else reference.AssertSameAs(log, $"{Name}: the stream cut into {sizes.Length} reads");
        }
    }

    private static EventLog RunOnce(byte[] stream, int[] sizes, bool head, bool pausing)
    {
        var log = new EventLog();
        var options = new AgentOptions { MaxResponseHeadBytes = 1024 };
        var time = new Clock();
        var connection = new HttpClientConnection(new ConnectionPool(new MemoryReactor(), time, options), new PoolKey("http", "example.com", 80), options, time);
        var transport = new StringTransport();
        connection.MakeConnection(transport);
        var ended = 0;
        var sent = 0;
        BodyLog? reader = null;

        void Send()
        {
            sent++;
            var result = new Deferred<Response>();
            result.AddCallbacks<object?>(response =>
            {
                log.Add($"response {response.Code} {response.Phrase} {response.Version} length={response.Length}");
                foreach (var (name, value) in response.Headers) log.Add("header", System.Text.Encoding.Latin1.GetBytes(name + ": " + value));
                reader = new BodyLog(log, pausing, () =>
                {
                    ended++;
                    // Kept alive: the next request goes on the same connection, as the pool would send it.
                    if (sent < Requests && connection.IsIdle) Send();
                });
                response.DeliverBody(reader);
                return null;
            }, failure =>
            {
                ended++;
                log.Add("failed " + failure.Value.GetType().Name);
                return null;
            });
            connection.Send(head ? "HEAD" : "GET", new Uri("http://example.com/"), new Headers(), null, result);
        }

        Send();
        Chunking.Feed(stream, sizes, chunk =>
        {
            if (!connection.Connected || transport.Disconnecting) return; // a closing transport stops reading
            connection.DataReceived(chunk.Span);
            // The reader paused itself after a piece: resume it (bounded), so held-back bytes are parsed too.
            for (var i = 0; i <= stream.Length && reader is { Paused: true }; i++) reader.Resume();
        });
        if (connection.Connected) connection.ConnectionLost(new Failure(new ConnectionDone()));
        for (var i = 0; i <= stream.Length && reader is { Paused: true }; i++) reader.Resume();
        if (ended != sent) throw new FuzzFinding($"{sent} requests sent but {ended} ended: a request or body was left hanging");
        log.Add("written", transport.Written);
        return log;
    }

    /// <summary>Logs the body as it comes and how it ended; optionally pauses after every piece.</summary>
    private sealed class BodyLog(EventLog log, bool pausing, Action ended) : Protocol
    {
        private bool _ended;

        public bool Paused { get; private set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (_ended) throw new FuzzFinding("body data after the body ended");
            if (Paused) throw new FuzzFinding("body data delivered while the reader is paused");
            log.AddRaw(data);
            if (!pausing) return;
            Paused = true;
            Transport.PauseProducing();
        }

        public void Resume()
        {
            Paused = false;
            Transport.ResumeProducing();
        }

        public override void ConnectionLost(Failure reason)
        {
            if (_ended) throw new FuzzFinding("the body ended twice");
            _ended = true;
            Paused = false;
            log.Add("body end " + reason.Value.GetType().Name);
            ended();
        }
    }
}
