using System.Net;
using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Web.Client;
using Reactor.Web.Http;
using Reactor.Web.Server;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Client;

/// <summary>The Agent against our own server over loopback: bodies, keep-alive pool, limits, redirects, timeouts.</summary>
public sealed class AgentTests
{
    private LoopbackServer _server = null!;
    private Agent _agent = null!;
    private readonly List<int> _clientPorts = [];

    [SetUp]
    public void SetUp()
    {
        _clientPorts.Clear();
        _server = new LoopbackServer(reactor =>
        {
            var root = new Resource();
            root.PutChild("hello", new DelegateResource(r =>
            {
                lock (_clientPorts) _clientPorts.Add(((IPEndPoint)r.GetClientAddress()).Port);
                r.SetHeader("X-Method", r.Method);
                r.Write("Hello, " + (r.GetHeader("User-Agent") ?? "?"));
            }));
            root.PutChild("echo", new DelegateResource(r => r.Write(r.Content.Span)));
            root.PutChild("chunked", new DelegateResource(async r =>
            {
                r.Write("one,");
                await Task.Yield();
                r.Write("two");
            }));
            root.PutChild("big", new DelegateResource(r => r.Write(new byte[200_000])));
            root.PutChild("nocontent", new DelegateResource(r => r.SetResponseCode(204)));
            root.PutChild("redirect", new DelegateResource(r =>
            {
                var n = int.Parse(r.GetArgument("n") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                r.SetResponseCode(n > 0 ? 302 : 200);
                if (n > 0) r.SetHeader("Location", $"/redirect?n={n - 1}");
                r.Write(n > 0 ? "moved" : "arrived by " + r.Method);
            }));
            root.PutChild("loop", new DelegateResource(r => r.Redirect("/loop")));
            root.PutChild("never", new AsyncNever());
            return root;
        });
        _agent = new Agent(_server.Reactor, _server.Reactor, new AgentOptions { ResponseTimeout = TimeSpan.FromSeconds(2) });
    }

    private sealed class AsyncNever : Resource
    {
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request) => RenderResult.NotDoneYet;
    }

    [TearDown]
    public void TearDown()
    {
        OnReactor.Run(_server.Reactor, () =>
        {
            _agent.CloseIdleConnections();
            return 0;
        });
        _server.Dispose();
        Assert.That(_server.Logger.Errors, Is.Zero, string.Join("\n", _server.Logger.Messages));
    }

    private (Response Response, string Body) Get(string path, string method = "GET", byte[]? body = null, Agent? agent = null) =>
        OnReactor.Wait(_server.Reactor, () => (agent ?? _agent).Request(method, _server.Url(path), body: body)
            .AddCallback(response => response.ReadTextAsync().AddCallback(text => (response, text))));

    [Test]
    public void GetsStatusHeadersAndBody()
    {
        var (response, body) = Get("/hello");
        Assert.That(response.Code, Is.EqualTo(200));
        Assert.That(response.Phrase, Is.EqualTo("OK"));
        Assert.That(response.Headers.Get("x-method"), Is.EqualTo("GET"));
        Assert.That(response.Length, Is.EqualTo(body.Length));
        Assert.That(body, Is.EqualTo("Hello, Reactor.Web"));
    }

    [Test]
    public void KeptAliveConnectionIsReusedForTheSameHost()
    {
        Get("/hello");
        Get("/hello");
        Get("/hello");
        Assert.That(_clientPorts.Distinct().Count(), Is.EqualTo(1), "three requests, one connection");
        Assert.That(OnReactor.Run(_server.Reactor, () => _agent.IdleConnections), Is.EqualTo(1));
    }

    /// <summary>
    /// A keep-alive server that answers the first request of each connection and then, on the next
    /// request, closes without a byte: what a client sees when the server timed the connection out
    /// just as the request went.
    /// </summary>
    private sealed class ClosesKeptAliveConnections : Protocol
    {
        private bool _answered;

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (_answered)
            {
                Transport.LoseConnection();
                return;
            }
            _answered = true;
            Transport.Write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8);
        }
    }

    [Test]
    public void StaleKeptAliveConnectionIsRetriedOnceForIdempotentRequests()
    {
        var connections = 0;
        var url = OnReactor.Run(_server.Reactor, () =>
        {
            var port = _server.Reactor.ListenTcp(0, Factory.ForProtocol(() =>
            {
                connections++;
                return new ClosesKeptAliveConnections();
            }), @interface: "127.0.0.1");
            return $"http://127.0.0.1:{((IPEndPoint)port.GetHost()).Port}/";
        });
        string Fetch(string method) => OnReactor.Wait(_server.Reactor, () => _agent.Request(method, url).AddCallback(r => r.ReadTextAsync()));

        Assert.That(Fetch("GET"), Is.EqualTo("ok"));
        Assert.That(Fetch("GET"), Is.EqualTo("ok"), "the pooled connection is closed at the request: retried on a new one");
        Assert.That(OnReactor.Run(_server.Reactor, () => connections), Is.EqualTo(2));
        var error = OnReactor.Failure(_server.Reactor, () => _agent.Request("POST", url, body: new byte[] { 1 }));
        Assert.That(error, Is.InstanceOf<ResponseFailed>(), "POST is not idempotent: not retried");
        Assert.That(OnReactor.Run(_server.Reactor, () => connections), Is.EqualTo(2), "no new connection for the POST");
    }

    [Test]
    public void PostSendsTheBodyWithALength()
    {
        var (response, body) = Get("/echo", "POST", Encoding.UTF8.GetBytes("payload ✓"));
        Assert.That(response.Code, Is.EqualTo(200));
        Assert.That(body, Is.EqualTo("payload ✓"));
    }

    [Test]
    public void ChunkedResponseIsReadWhole()
    {
        var (response, body) = Get("/chunked");
        Assert.That(response.Headers.Get("transfer-encoding"), Is.EqualTo("chunked"));
        Assert.That(response.Length, Is.EqualTo(-1));
        Assert.That(body, Is.EqualTo("one,two"));
    }

    [Test]
    public void HeadAnd204HaveEmptyBodiesAndKeepTheConnection()
    {
        var (head, headBody) = Get("/hello", "HEAD");
        Assert.That(head.Code, Is.EqualTo(200));
        Assert.That(headBody, Is.Empty);
        var (noContent, noBody) = Get("/nocontent");
        Assert.That(noContent.Code, Is.EqualTo(204));
        Assert.That(noBody, Is.Empty);
        Get("/hello");
        Assert.That(_clientPorts.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void ReadingWholeOverTheLimitFailsWithBodyTooLarge()
    {
        var error = OnReactor.Failure(_server.Reactor, () => _agent.Request("GET", _server.Url("/big")).AddCallback(r => r.ReadBodyAsync(maxBytes: 1000)));
        Assert.That(error, Is.InstanceOf<BodyTooLarge>());
        var chunkedError = OnReactor.Failure(_server.Reactor, () => _agent.Request("GET", _server.Url("/chunked")).AddCallback(r => r.ReadBodyAsync(maxBytes: 5)));
        Assert.That(chunkedError, Is.InstanceOf<BodyTooLarge>(), "a body without a length is counted as it arrives");
    }

    private sealed class SlowReader : Protocol
    {
        public readonly TaskCompletionSource<(long Bytes, Failure Reason)> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Pieces;
        private long _bytes;

        public override void ConnectionMade() => Transport.PauseProducing();

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _bytes += data.Length;
            Pieces++;
        }

        public override void ConnectionLost(Failure reason) => Done.TrySetResult((_bytes, reason));
    }

    [Test]
    public void BodyDeliveredToAPausedProtocolArrivesWholeOnceResumed()
    {
        // Bytes of the body that came with the head are held, not delivered, while the reader is
        // paused (checked right after DeliverBody; BodyBackpressureTests covers bytes arriving later).
        var reader = new SlowReader();
        var piecesWhilePaused = OnReactor.Wait(_server.Reactor, () => _agent.Request("GET", _server.Url("/big")).AddCallback(r =>
        {
            r.DeliverBody(reader);
            return reader.Pieces;
        }));
        Assert.That(piecesWhilePaused, Is.Zero, "paused from ConnectionMade: nothing delivered");
        OnReactor.Run(_server.Reactor, () =>
        {
            reader.Transport.ResumeProducing();
            return 0;
        });
        Assert.That(reader.Done.Task.Wait(LoopbackServer.Deadline), Is.True);
        Assert.That(reader.Done.Task.Result.Bytes, Is.EqualTo(200_000));
        Assert.That(reader.Done.Task.Result.Reason.Value, Is.InstanceOf<ResponseDone>());
    }

    [Test]
    public void RedirectsAreNotFollowedUnlessAsked()
    {
        var (plain, _) = Get("/redirect?n=2");
        Assert.That(plain.Code, Is.EqualTo(302));
        var following = new Agent(_server.Reactor, _server.Reactor, new AgentOptions { FollowRedirects = true, MaxRedirects = 3 });
        var (followed, body) = Get("/redirect?n=2", "POST", [1, 2], following);
        Assert.That(followed.Code, Is.EqualTo(200));
        Assert.That(body, Is.EqualTo("arrived by GET"), "302 after POST becomes GET");
        Assert.That(followed.PreviousResponse?.Code, Is.EqualTo(302));
        Assert.That(followed.RequestUri.PathAndQuery, Is.EqualTo("/redirect?n=0"));
        var error = OnReactor.Failure(_server.Reactor, () => following.Request("GET", _server.Url("/loop")));
        Assert.That(error, Is.InstanceOf<ResponseFailed>());
        Assert.That(error.Message, Does.Contain("Too many redirects"));
        OnReactor.Run(_server.Reactor, () =>
        {
            following.CloseIdleConnections();
            return 0;
        });
    }

    [Test]
    public void ResponseTimeoutFailsTheRequest()
    {
        var error = OnReactor.Failure(_server.Reactor, () => _agent.Request("GET", _server.Url("/never")));
        Assert.That(error, Is.InstanceOf<TimeoutException>());
    }

    [Test]
    public void ConnectionRefusedFails()
    {
        var error = OnReactor.Failure(_server.Reactor, () => _agent.Request("GET", "http://127.0.0.1:1/"));
        Assert.That(error, Is.InstanceOf<ConnectError>());
    }

    [Test]
    public void BadArgumentsAreRejectedAtOnce()
    {
        Assert.Throws<ArgumentException>(() => _agent.Request("GET", "ftp://example.com/"));
        Assert.Throws<ArgumentException>(() => _agent.Request("BAD METHOD", "http://example.com/"));
        Assert.Throws<ArgumentException>(() => new Headers().Add("X", "a\r\nb: c"));
    }
}
