using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Web.Http;
using Reactor.Web.Server;

namespace Reactor.Web.Tests.Server;

/// <summary>The server connection without sockets: framing, keep-alive, pipelining, bodies, errors, timeouts.</summary>
public sealed class ChannelTests
{
    private const string Get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    private static void Hello(Request request)
    {
        request.SetHeader("Content-Type"u8, "text/plain"u8);
        request.Write("Hello, World!"u8);
    }

    [Test]
    public void PipelinedRequestsInOneReadGoOutInOneWriteInOrder()
    {
        var h = ChannelHarness.For(r => r.Write(r.Path));
        h.Send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(h.Transport.WriteCount, Is.EqualTo(1), "three responses, one write");
        var responses = h.Responses();
        Assert.That(responses.Select(r => r.Body), Is.EqualTo(new[] { "/1", "/2", "/3" }));
        Assert.That(responses[0].Header("content-length"), Is.EqualTo("2"));
        Assert.That(responses[0].Header("date"), Is.EqualTo("Mon, 23 Nov 2026 21:00:00 GMT"));
        Assert.That(h.Channel.RequestsAnswered, Is.EqualTo(3));
    }

    [Test]
    public void RequestsSplitAnywhereGetTheSameAnswers()
    {
        var request = Encoding.ASCII.GetBytes(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody" +
            "POST /y HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n" +
            "GET /z HTTP/1.1\r\nHost: a\r\n\r\n");
        static void Echo(Request r) => r.Write(r.Path + ":" + Encoding.ASCII.GetString(r.Content.Span));
        var whole = ChannelHarness.For(Echo);
        whole.Channel.DataReceived(request);
        Assert.That(whole.Responses().Select(r => r.Body), Is.EqualTo(new[] { "/x:body", "/y:abcde", "/z:" }));
        for (var chunk = 1; chunk <= 9; chunk++)
        {
            var h = ChannelHarness.For(Echo);
            for (var at = 0; at < request.Length; at += chunk) h.Channel.DataReceived(request.AsSpan(at, Math.Min(chunk, request.Length - at)));
            Assert.That(h.Output, Is.EqualTo(whole.Output), $"chunks of {chunk}");
        }
    }

    [Test]
    public void SteadyStateKeepAlivePlaintextAllocatesNothingPerRequest()
    {
        var root = new Resource();
        var hello = "Hello, World!"u8.ToArray();
        root.PutChild("plaintext", new DelegateResource(r =>
        {
            r.SetHeader("Content-Type"u8, "text/plain"u8);
            r.Write(hello);
        }));
        var h = new ChannelHarness(root);
        var one = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\nConnection: keep-alive\r\n\r\n"u8.ToArray();
        var sixteen = Enumerable.Repeat(one, 16).SelectMany(b => b).ToArray();
        for (var i = 0; i < 2000; i++)
        {
            h.Channel.DataReceived(sixteen);
            h.Transport.Clear();
        }
        // A blocking gen0 GC empties this thread's allocation context first: a background GC that
        // ends its mark phase inside the window would otherwise add the context's unused rest (up
        // to 8 KiB) to the counter without any allocation (see Reactor.Tests' ThreadAllocation).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5000; i++)
        {
            h.Channel.DataReceived(sixteen);
            h.Transport.Clear();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(h.Channel.RequestsAnswered, Is.EqualTo(16 * 7000));
        Assert.That(allocated, Is.Zero, "bytes allocated for 80,000 pipelined keep-alive requests");
    }

    [Test]
    public void ResourceTreeRoutesByPathAnd404sTheRest()
    {
        var root = new Resource();
        var api = new Resource();
        root.PutChild("api", api);
        api.PutChild("items", new DelegateResource(r => r.Write("items " + string.Join(",", r.PrePath) + "|" + string.Join(",", r.PostPath))));
        var h = new ChannelHarness(root);
        h.Send("GET /api/items HTTP/1.1\r\nHost: a\r\n\r\nGET /nothing HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var responses = h.Responses();
        Assert.That(responses[0].Body, Is.EqualTo("items api,items|"));
        Assert.That(responses[1].Status, Is.EqualTo(404));
        Assert.That(responses[2].Status, Is.EqualTo(404), "Twisted: / asks the root for child \"\"");
    }

    private sealed class Methods : Resource
    {
        public override bool IsLeaf => true;

        protected override RenderResult RenderGet(Request request) => "got";

        protected override RenderResult RenderPost(Request request) => "posted " + Encoding.UTF8.GetString(request.Content.Span);

        public override IReadOnlyList<string> AllowedMethods => ["GET", "HEAD", "POST"];
    }

    [Test]
    public void RenderDispatchesByMethodHeadOmitsBodyAndOthersGet405()
    {
        var h = new ChannelHarness(new Methods());
        h.Send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = h.Responses(headRequests: true).Single();
        Assert.That(head.Header("content-length"), Is.EqualTo("3"));
        Assert.That(h.Output, Does.EndWith("\r\n\r\n"), "HEAD: no body");
        h.Transport.Clear();
        h.Send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiDELETE / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
        var responses = h.Responses();
        Assert.That(responses[0].Body, Is.EqualTo("posted hi"));
        Assert.That(responses[1].Status, Is.EqualTo(405));
        Assert.That(responses[1].Header("allow"), Is.EqualTo("GET, HEAD, POST"));
        Assert.That(responses[2].Body, Is.EqualTo("got"));
    }

    [Test]
    public void NotDoneYetFinishesLaterAndPipelinedRequestsWait()
    {
        Request? pending = null;
        var root = new DelegateResource(r =>
        {
            if (r.Path == "/slow") pending = r;
            else r.Write("fast");
        });
        var h = new ChannelHarness(new AsyncLeaf(r => r.Path == "/slow" ? Later(r, p => pending = p) : "fast"));
        h.Send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(h.Output, Is.Empty, "the first response is not ready; the second waits behind it");
        Assert.That(h.Transport.ProducerState, Is.EqualTo(Reactor.Testing.ProducerState.Paused), "reading paused while the pipelined request waits");
        pending!.SetResponseCode(201);
        pending.Write("slow");
        pending.Finish();
        var responses = h.Responses();
        Assert.That(responses.Select(r => r.Body), Is.EqualTo(new[] { "slow", "fast" }));
        Assert.That(responses[0].Status, Is.EqualTo(201));
        Assert.That(responses[0].Header("content-length"), Is.EqualTo("4"));
        _ = root;
    }

    private static RenderResult Later(Request r, Action<Request> keep)
    {
        keep(r);
        return RenderResult.NotDoneYet;
    }

    private sealed class AsyncLeaf(Func<Request, RenderResult> render) : Resource
    {
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request) => render(request);
    }

    [Test]
    public async Task AsyncHandlerWritingAcrossTurnsIsChunked()
    {
        var gate = new TaskCompletionSource();
        var h = ChannelHarness.For(_ => { });
        h = new ChannelHarness(new DelegateResource(async r =>
        {
            r.Write("part1,");
            await gate.Task;
            r.Write("part2");
        }));
        h.Send(Get);
        Assert.That(h.Output, Does.Contain("Transfer-Encoding: chunked"), "the first write went out at the end of the read, length unknown");
        gate.SetResult();
        await Task.Yield();
        var response = h.Responses().Single();
        Assert.That(response.Body, Is.EqualTo("part1,part2"));
        Assert.That(h.Output, Does.EndWith("0\r\n\r\n"));
    }

    [Test]
    public void Http10ClosesUnlessKeepAliveAndGetsNoChunks()
    {
        var h = ChannelHarness.For(Hello);
        h.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        var first = h.Responses().Single();
        Assert.That(first.Header("connection"), Is.EqualTo("keep-alive"));
        Assert.That(h.Transport.WriteDisconnected, Is.False);
        h.Send("GET / HTTP/1.0\r\n\r\n");
        Assert.That(h.Responses()[1].Header("connection"), Is.EqualTo("close"));
        Assert.That(h.Transport.WriteDisconnected, Is.True, "FIN after the HTTP/1.0 response");
    }

    [Test]
    public void ConnectionCloseIsHonoured()
    {
        var h = ChannelHarness.For(Hello);
        h.Send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + Get);
        Assert.That(h.Responses().Single().Header("connection"), Is.EqualTo("close"));
        Assert.That(h.Transport.WriteDisconnected, Is.True);
        Assert.That(h.Channel.RequestsAnswered, Is.EqualTo(1), "nothing after Connection: close is answered");
    }

    [Test]
    public void ExpectContinueIsAnsweredBeforeTheBody()
    {
        var h = ChannelHarness.For(r => r.Write(Encoding.ASCII.GetString(r.Content.Span)));
        h.Send("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        Assert.That(h.Output, Is.EqualTo("HTTP/1.1 100 Continue\r\n\r\n"));
        h.Transport.Clear();
        h.Send("hello");
        Assert.That(h.Responses().Single().Body, Is.EqualTo("hello"));
    }

    [Test]
    public void ExpectContinueWithABodyTooLargeGets413WithoutContinue()
    {
        var h = ChannelHarness.For(Hello, new HttpServerOptions { MaxBodyBytes = 10 });
        h.Send("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
        Assert.That(h.Output, Does.StartWith("HTTP/1.1 413 Content Too Large\r\n"));
        Assert.That(h.Output, Does.Not.Contain("100 Continue"));
        Assert.That(h.Transport.WriteDisconnected, Is.True);
    }

    [Test]
    public void UnknownExpectationGets417()
    {
        var h = ChannelHarness.For(Hello);
        h.Send("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: teapot\r\n\r\nx");
        Assert.That(h.Output, Does.StartWith("HTTP/1.1 417 "));
    }

    [TestCase("BAD\r\n\r\n", 400)]
    [TestCase("GET /\r\nHost: a\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", 400)]
    [TestCase("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [TestCase("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [TestCase("GET / HTTP/x.1\r\nHost: a\r\n\r\n", 400)]
    [TestCase("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [TestCase("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505)]
    [TestCase("GET / HTTP/1.1\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nNo colon\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nName : v\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n folded\r\n\r\n", 400)]
    [TestCase("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [TestCase("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", 501)]
    [TestCase("GET / HTTP/1.1\nHost: a\r\n\r\n", 400)]
    [TestCase("GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n0\r\n\r\n", 400)]
    [TestCase("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;\r\nab\r\n0\r\n\r\n", 400)]
    public void MalformedRequestsGetTheirStatusAndAClose(string request, int status)
    {
        var h = ChannelHarness.For(Hello);
        h.Send(request + Get);
        var responses = h.Responses();
        Assert.That(responses, Has.Count.EqualTo(1), "nothing after the error is answered");
        Assert.That(responses[0].Status, Is.EqualTo(status));
        Assert.That(responses[0].Header("connection"), Is.EqualTo("close"));
        Assert.That(h.Transport.WriteDisconnected, Is.True, "FIN after the error");
        Assert.That(h.Transport.Disconnecting, Is.False, "still reading (and dropping) what the client sends until its FIN");
    }

    [Test]
    public void LimitsAnswer414And431And413()
    {
        var options = new HttpServerOptions { MaxRequestLineBytes = 64, MaxHeaderBytes = 128, MaxHeaderCount = 3, MaxBodyBytes = 8 };
        var longLine = ChannelHarness.For(Hello, options);
        longLine.Send($"GET /{new string('a', 100)} HTTP/1.1\r\n");
        Assert.That(longLine.Responses().Single().Status, Is.EqualTo(414));

        var bigHeaders = ChannelHarness.For(Hello, options);
        bigHeaders.Send($"GET / HTTP/1.1\r\nHost: a\r\nX: {new string('v', 200)}\r\n\r\n");
        Assert.That(bigHeaders.Responses().Single().Status, Is.EqualTo(431));

        var manyHeaders = ChannelHarness.For(Hello, options);
        manyHeaders.Send("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n");
        Assert.That(manyHeaders.Responses().Single().Status, Is.EqualTo(431));

        var chunkedBody = ChannelHarness.For(Hello, options);
        chunkedBody.Send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n");
        Assert.That(chunkedBody.Responses().Single().Status, Is.EqualTo(413), "a chunked body is counted as it arrives");
    }

    [Test]
    public void SlowHeadersGet408AndIdleKeepAliveIsClosedQuietly()
    {
        var options = new HttpServerOptions { HeadersTimeout = TimeSpan.FromSeconds(5), KeepAliveTimeout = TimeSpan.FromSeconds(20) };
        var slow = ChannelHarness.For(Hello, options);
        slow.Send("GET / HTTP/1.1\r\nHo");
        slow.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.That(slow.Output, Is.Empty);
        slow.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(slow.Responses().Single().Status, Is.EqualTo(408));

        var idle = ChannelHarness.For(Hello, options);
        idle.Send(Get);
        idle.Clock.Advance(TimeSpan.FromSeconds(10));
        idle.Send(Get);
        idle.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.That(idle.Transport.Disconnecting, Is.False, "each request moves the keep-alive deadline");
        idle.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.That(idle.Transport.Disconnecting, Is.True);
        Assert.That(idle.Responses(), Has.Count.EqualTo(2), "no response for an idle close");
    }

    [Test]
    public void StalledBodyGets408()
    {
        var h = ChannelHarness.For(Hello, new HttpServerOptions { BodyTimeout = TimeSpan.FromSeconds(3) });
        h.Send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        h.Send("def");
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(h.Output, Is.Empty, "each read moves the body deadline");
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(h.Responses().Single().Status, Is.EqualTo(408));
    }

    private sealed class Collector : Protocol
    {
        public readonly MemoryStream Body = new();
        public Failure? Reason;

        public override void DataReceived(ReadOnlySpan<byte> data) => Body.Write(data);

        public override void ConnectionLost(Failure reason) => Reason = reason;
    }

    [Test]
    public void StreamedBodyIsDeliveredAsItArrivesWithBackpressure()
    {
        Collector? collector = null;
        Request? request = null;
        var responded = new TaskCompletionSource();
        var h = new ChannelHarness(new DelegateResource(r =>
        {
            request = r;
            collector = new Collector();
            r.DeliverBody(collector);
            collector.Transport.PauseProducing();
            return responded.Task;
        }, streamRequestBody: true));
        // Rendered at the end of the head, before any body byte.
        h.Send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        Assert.That(collector, Is.Not.Null);
        h.Send("3\r\nabc\r\n");
        Assert.That(collector!.Body.Length, Is.Zero, "paused: nothing delivered");
        Assert.That(h.Transport.ProducerState, Is.EqualTo(Reactor.Testing.ProducerState.Paused), "the transport stops reading");
        collector.Transport.ResumeProducing();
        Assert.That(Encoding.ASCII.GetString(collector.Body.ToArray()), Is.EqualTo("abc"));
        h.Send("0\r\n\r\n");
        Assert.That(collector.Reason?.Value, Is.InstanceOf<ResponseDone>());
        request!.Write("done");
        request.Finish();
        Assert.That(h.Responses().Single().Body, Is.EqualTo("done"));
    }

    [Test]
    public void HandlerExceptionGets500AndIsLoggedAndTheConnectionLivesOn()
    {
        var h = new ChannelHarness(new AsyncLeaf(r => r.Path == "/boom" ? throw new InvalidOperationException("boom") : "ok"));
        h.Send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n" + Get);
        var responses = h.Responses();
        Assert.That(responses[0].Status, Is.EqualTo(500));
        Assert.That(responses[0].Header("connection"), Is.EqualTo("close"));
    }

    [Test]
    public void ClientFinAfterACompleteRequestStillGetsTheResponse()
    {
        Request? pending = null;
        var h = new ChannelHarness(new AsyncLeaf(r => Later(r, p => pending = p)));
        h.Send(Get);
        h.Channel.ReadConnectionLost();
        Assert.That(h.Transport.Disconnecting, Is.False);
        pending!.Write("late");
        pending.Finish();
        Assert.That(h.Responses().Single().Body, Is.EqualTo("late"));
        Assert.That(h.Transport.Disconnecting, Is.True);
    }

    [Test]
    public void ResponseHeadersAreValidated()
    {
        var h = ChannelHarness.For(r =>
        {
            Assert.Throws<ArgumentException>(() => r.SetHeader("X-Bad", "a\r\nInjected: yes"));
            Assert.Throws<ArgumentException>(() => r.SetHeader("Bad Name", "v"));
            r.SetHeader("X-Good", "v");
            r.SetHeader("X-Good", "w");
            r.AddHeader("Set-Cookie", "a=1");
            r.AddHeader("Set-Cookie", "b=2");
        });
        h.Send(Get);
        var response = h.Responses().Single();
        Assert.That(response.Headers.Where(x => x.Key == "X-Good").Select(x => x.Value), Is.EqualTo(new[] { "w" }));
        Assert.That(response.Headers.Count(x => x.Key == "Set-Cookie"), Is.EqualTo(2));
        Assert.That(h.Output, Does.Not.Contain("Injected"));
    }
}
