using System.Diagnostics;
using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Examples.HttpHello;
using Reactor.Net;
using Reactor.Selectors;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Examples;

/// <summary>The selector backends the loopback example tests run on.</summary>
public static class Backends
{
    /// <summary>Every backend available here.</summary>
    public static IEnumerable<SelectorKind> Available() => SelectorFactory.Available;
}

/// <summary>
/// The HttpHello example's HTTP behaviour over loopback, from a raw socket client that sends
/// bytes exactly as written (and from curl): keep-alive, pipelining, Connection: close, HTTP/1.0,
/// request bodies, and the 400 / 431 error closes. The server runs on its own reactor thread.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class HttpHelloTests(SelectorKind kind)
{
    private const string Get = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";
    private ReactorLoop _reactor = null!;
    private Thread _thread = null!;
    private ErrorCountingLogger _logger = null!;
    private int _port;

    [SetUp]
    public void SetUp()
    {
        _logger = new ErrorCountingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });
        var port = _reactor.ListenTcp(0, HelloResource.CreateSite(_reactor), @interface: "127.0.0.1");
        _port = ((IPEndPoint)port.GetHost()).Port;
        _thread = new Thread(_reactor.Run) { IsBackground = true, Name = "HttpHello reactor" };
        _thread.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.CallFromThread(_reactor.Stop);
        var stopped = _thread.Join(LoopbackServer.Deadline);
        if (stopped) _reactor.Dispose();
        Assert.That(stopped, Is.True, "the reactor thread stopped");
        Assert.That(_logger.Errors, Is.Zero, "nothing logged as an error");
    }

    private static void AssertHello(HttpReply reply, bool head = false)
    {
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.Header("content-length"), Is.EqualTo("13"));
        Assert.That(reply.Header("content-type"), Is.EqualTo("text/plain"));
        Assert.That(reply.Header("date"), Does.EndWith(" GMT"));
        Assert.That(reply.Body, Is.EqualTo(head ? "" : "Hello, World!"));
    }

    [Test]
    public void KeepAliveAnswersSeveralRequestsOnOneConnection()
    {
        using var client = new HttpHelloClient(_port);
        for (var i = 0; i < 3; i++)
        {
            client.Send(Get);
            var reply = client.ReadResponse();
            AssertHello(reply);
            Assert.That(reply.Header("connection"), Is.Null, "HTTP/1.1 keep-alive is the default: no Connection header");
        }
    }

    [Test]
    public void ThreePipelinedRequestsInOneWriteAreAnsweredInOrder()
    {
        using var client = new HttpHelloClient(_port);
        // Distinguishable responses: a GET (body), a HEAD (no body), a GET that asks to close.
        client.Send(Get + "HEAD /h HTTP/1.1\r\nHost: test\r\n\r\n" + "GET /c HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        var first = client.ReadResponse();
        var second = client.ReadResponse(head: true);
        var third = client.ReadResponse();
        AssertHello(first);
        Assert.That(first.Header("connection"), Is.Null);
        AssertHello(second, head: true);
        Assert.That(second.Header("connection"), Is.Null);
        AssertHello(third);
        Assert.That(third.Header("connection"), Is.EqualTo("close"));
        Assert.That(client.ReadsEndOfStream(), Is.True, "closed after the third response, nothing more sent");
    }

    [Test]
    public void ConnectionCloseIsHonoured()
    {
        using var client = new HttpHelloClient(_port);
        client.Send("GET / HTTP/1.1\r\nHost: test\r\nConnection: Close\r\n\r\n" + Get);
        var reply = client.ReadResponse();
        AssertHello(reply);
        Assert.That(reply.Header("connection"), Is.EqualTo("close"));
        Assert.That(client.ReadsEndOfStream(), Is.True, "the request after Connection: close is not answered");
    }

    [Test]
    public void Http10ClosesUnlessKeepAliveIsAsked()
    {
        using (var client = new HttpHelloClient(_port))
        {
            client.Send("GET / HTTP/1.0\r\n\r\n");
            var reply = client.ReadResponse();
            AssertHello(reply);
            Assert.That(reply.Header("connection"), Is.EqualTo("close"));
            Assert.That(client.ReadsEndOfStream(), Is.True);
        }
        using (var client = new HttpHelloClient(_port))
        {
            client.Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Assert.That(client.ReadResponse().Header("connection"), Is.EqualTo("keep-alive"));
            client.Send("GET / HTTP/1.0\r\n\r\n");
            Assert.That(client.ReadResponse().Header("connection"), Is.EqualTo("close"));
        }
    }

    [Test]
    public void RequestBodiesAreConsumedNotParsedAsRequests()
    {
        using var client = new HttpHelloClient(_port);
        // The body looks like a malformed request line: parsed as one, it would get a 400.
        var body = "NOT A REQUEST LINE\r\n\r\n" + new string('x', 20_000);
        client.Send($"POST /p HTTP/1.1\r\nHost: test\r\nContent-Length: {body.Length}\r\n\r\n{body}{Get}");
        AssertHello(client.ReadResponse());
        AssertHello(client.ReadResponse());
        // And a body split across writes.
        client.Send("POST /p HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhello");
        client.Send("world" + Get);
        AssertHello(client.ReadResponse());
        AssertHello(client.ReadResponse());
    }

    [TestCase("BAD\r\n\r\n")]
    [TestCase("GET /\r\nHost: test\r\n\r\n")]
    [TestCase("GET / HTTP/1.1 extra\r\nHost: test\r\n\r\n")]
    [TestCase("GET  / HTTP/1.1\r\nHost: test\r\n\r\n")]
    [TestCase("G(T / HTTP/1.1\r\nHost: test\r\n\r\n")]
    [TestCase("GET / HTTP/x.1\r\nHost: test\r\n\r\n")]
    public void MalformedRequestLineGets400AndClose(string request)
    {
        using var client = new HttpHelloClient(_port);
        client.Send(request + Get);
        var reply = client.ReadResponse();
        Assert.That(reply.Status, Is.EqualTo(400));
        Assert.That(reply.Header("connection"), Is.EqualTo("close"));
        Assert.That(reply.Body, Is.EqualTo("Bad Request\n"));
        Assert.That(client.ReadsEndOfStream(), Is.True, "closed after the 400; the request after it is not answered");
    }

    [TestCase("GET / HTTP/1.1\r\nHost: test\r\nNo colon here\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\nHost: test\r\nName : space before colon\r\n\r\n")]
    [TestCase("GET / HTTP/1.1\r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: -1\r\n\r\n")]
    [TestCase("POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")]
    public void MalformedHeadersGet400AndClose(string request)
    {
        using var client = new HttpHelloClient(_port);
        client.Send(request);
        Assert.That(client.ReadResponse().Status, Is.EqualTo(400));
        Assert.That(client.ReadsEndOfStream(), Is.True);
    }

    [Test]
    public void HeaderSectionPastTheLimitGets431AndClose()
    {
        using var client = new HttpHelloClient(_port);
        var request = new StringBuilder("GET / HTTP/1.1\r\nHost: test\r\n");
        // 100 headers of ~100 bytes: each line is short, the section is over 8 KiB.
        for (var i = 0; request.Length <= HelloResource.DefaultMaxHeaderBytes; i++)
        {
            request.Append($"X-Filler-{i:D3}: {new string('v', 84)}\r\n");
        }
        client.Send(request + "\r\n" + Get);
        var reply = client.ReadResponse();
        Assert.That(reply.Status, Is.EqualTo(431));
        Assert.That(reply.Header("connection"), Is.EqualTo("close"));
        Assert.That(client.ReadsEndOfStream(), Is.True);
    }

    [Test]
    public void OneHeaderLinePastTheLimitGets431AndClose()
    {
        using var client = new HttpHelloClient(_port);
        client.Send($"GET / HTTP/1.1\r\nHost: test\r\nX-Big: {new string('v', 3 * HelloResource.DefaultMaxHeaderBytes)}\r\n\r\n");
        Assert.That(client.ReadResponse().Status, Is.EqualTo(431));
        Assert.That(client.ReadsEndOfStream(), Is.True);
    }

    [Test]
    public void CurlFetchesTwiceOverOneKeptAliveConnection()
    {
        var curl = ExternalTool.Require("curl");
        var url = $"http://127.0.0.1:{_port}/";
        // num_connects is 1 for the first transfer and 0 for the second when the connection is reused.
        var info = new ProcessStartInfo(curl, ["--silent", "--show-error", "--http1.1", "--max-time", "20",
            "--write-out", "|%{http_code}|%{num_connects}\n", url, url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(LoopbackServer.Deadline))
        {
            process.Kill();
            Assert.Fail("curl did not finish in time");
        }
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        Assert.That(stdout.Result, Is.EqualTo("Hello, World!|200|1\nHello, World!|200|0\n"));
    }
}
