using System.Text;
using Reactor.Web.Server;
using Reactor.Web.Static;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Interop;

/// <summary>
/// Our server against clients nobody here wrote: curl (keep-alive, chunked upload, --http1.0,
/// Range, Expect), Python's http.client and urllib, Twisted's web client Agent, wrk and h2load --h1.
/// </summary>
public sealed class ServerInteropTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private string _root = null!;
    private LoopbackServer _server = null!;
    private byte[] _data = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _root = Directory.CreateTempSubdirectory("reactor-web-interop-").FullName;
        _data = new byte[100_000];
        for (var i = 0; i < _data.Length; i++) _data[i] = (byte)('a' + i % 26);
        File.WriteAllBytes(Path.Combine(_root, "data.txt"), _data);
        _server = new LoopbackServer(_ =>
        {
            var root = new Resource();
            root.PutChild("hello", new DelegateResource(r =>
            {
                r.SetHeader("Content-Type", "text/plain");
                r.Write("Hello, World!");
            }));
            root.PutChild("echo", new DelegateResource(r =>
            {
                r.SetHeader("X-Received-Framing", r.GetHeader("Transfer-Encoding") ?? "length");
                r.Write(r.Content.Span);
            }));
            root.PutChild("chunked", new DelegateResource(async r =>
            {
                r.Write("first ");
                await Task.Yield();
                r.Write("second");
            }));
            root.PutChild("files", new StaticFile(_root));
            return root;
        });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _server.Dispose();
        Directory.Delete(_root, recursive: true);
        Assert.That(_server.Logger.Errors, Is.Zero, string.Join("\n", _server.Logger.Messages));
    }

    private static string Curl(params string[] args)
    {
        var curl = ExternalTool.Require("curl");
        var (code, stdout, stderr) = ExternalTool.Run(curl, ["--silent", "--show-error", "--max-time", "30", .. args], ToolTimeout);
        Assert.That(code, Is.Zero, stderr);
        return stdout;
    }

    [Test]
    public void CurlReusesOneKeptAliveConnection()
    {
        var url = _server.Url("/hello");
        var output = Curl("--http1.1", "--write-out", "|%{http_code}|%{num_connects}\n", url, url);
        Assert.That(output, Is.EqualTo("Hello, World!|200|1\nHello, World!|200|0\n"));
    }

    [Test]
    public void CurlChunkedUploadIsReadWhole()
    {
        var curl = ExternalTool.Require("curl");
        var body = string.Concat(Enumerable.Repeat("chunked upload line\n", 5000));
        var (code, stdout, stderr) = ExternalTool.Run(curl, ["--silent", "--show-error", "--max-time", "30", "-H", "Transfer-Encoding: chunked",
            "--data-binary", "@-", "--dump-header", "/dev/stderr", _server.Url("/echo")], ToolTimeout, stdin: body);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(body));
        Assert.That(stderr, Does.Contain("X-Received-Framing: chunked"));
    }

    [Test]
    public void CurlExpectContinueUpload()
    {
        var curl = ExternalTool.Require("curl");
        var body = new string('x', 300_000);
        var (code, stdout, stderr) = ExternalTool.Run(curl, ["--silent", "--show-error", "--max-time", "30", "-H", "Expect: 100-continue",
            "--expect100-timeout", "20", "--data-binary", "@-", "--verbose", _server.Url("/echo")], ToolTimeout, stdin: body);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(body));
        Assert.That(stderr, Does.Contain("HTTP/1.1 100 Continue"));
    }

    [Test]
    public void CurlHttp10GetsAWholeResponseAndAClose()
    {
        var output = Curl("--http1.0", "--include", _server.Url("/chunked"));
        Assert.That(output, Does.StartWith("HTTP/1.1 200 OK\r\n"));
        Assert.That(output, Does.Contain("Connection: close\r\n"));
        Assert.That(output, Does.Not.Contain("chunked"), "no chunked coding for an HTTP/1.0 client");
        Assert.That(output, Does.EndWith("\r\n\r\nfirst second"));
    }

    [Test]
    public void CurlRangeRequest()
    {
        var output = Curl("--range", "1000-1099", "--write-out", "|%{http_code}", _server.Url("/files/data.txt"));
        Assert.That(output, Is.EqualTo(Encoding.ASCII.GetString(_data, 1000, 100) + "|206"));
    }

    private static string Python(string script)
    {
        var python = ExternalTool.Require("python3");
        var (code, stdout, stderr) = ExternalTool.Run(python, ["-c", script], ToolTimeout);
        Assert.That(code, Is.Zero, stderr);
        return stdout;
    }

    [Test]
    public void PythonHttpClientKeepAliveChunkedAndHead()
    {
        var output = Python($$"""
            import http.client
            c = http.client.HTTPConnection("127.0.0.1", {{_server.Port}}, timeout=20)
            for i in range(3):
                c.request("GET", "/hello")
                r = c.getresponse()
                print(r.status, r.read().decode())
            sock = c.sock
            c.request("POST", "/echo", body=iter([b"ab", b"cd", b"ef"]), encode_chunked=True, headers={"Transfer-Encoding": "chunked"})
            r = c.getresponse()
            print(r.status, r.read().decode(), r.getheader("X-Received-Framing"))
            c.request("HEAD", "/hello")
            r = c.getresponse()
            print(r.status, repr(r.read()), r.getheader("Content-Length"))
            c.request("GET", "/chunked")
            r = c.getresponse()
            print(r.status, r.read().decode(), r.getheader("Transfer-Encoding"))
            print("same socket", sock is c.sock)
            """);
        Assert.That(output.Replace("\r", ""), Is.EqualTo(
            "200 Hello, World!\n200 Hello, World!\n200 Hello, World!\n200 abcdef chunked\n200 b'' 13\n200 first second chunked\nsame socket True\n"));
    }

    [Test]
    public void PythonUrllibGetAndPost()
    {
        var output = Python($$"""
            import urllib.request
            print(urllib.request.urlopen("{{_server.Url("/hello")}}", timeout=20).read().decode())
            print(urllib.request.urlopen("{{_server.Url("/echo")}}", data=b"form=1", timeout=20).read().decode())
            try:
                urllib.request.urlopen("{{_server.Url("/missing")}}", timeout=20)
            except urllib.error.HTTPError as e:
                print(e.code)
            """);
        Assert.That(output.Replace("\r", ""), Is.EqualTo("Hello, World!\nform=1\n404\n"));
    }

    [Test]
    public void TwistedAgentTalksToOurServer()
    {
        var python = ExternalTool.RequireTwisted();
        var script = $$"""
            from twisted.internet import task, defer
            from twisted.web.client import Agent, HTTPConnectionPool, readBody, FileBodyProducer
            from io import BytesIO
            @defer.inlineCallbacks
            def main(reactor):
                pool = HTTPConnectionPool(reactor, persistent=True)
                agent = Agent(reactor, pool=pool)
                for path in (b"/hello", b"/chunked", b"/files/data.txt"):
                    r = yield agent.request(b"GET", b"{{_server.Url()}}"[:-1] + path)
                    body = yield readBody(r)
                    print(r.code, len(body), body[:13].decode())
                r = yield agent.request(b"POST", b"{{_server.Url("/echo")}}", None, FileBodyProducer(BytesIO(b"twisted body")))
                body = yield readBody(r)
                print(r.code, body.decode())
                yield pool.closeCachedConnections()
            task.react(main)
            """;
        var (code, stdout, stderr) = ExternalTool.Run(python, ["-c", script], ToolTimeout);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout.Replace("\r", ""), Is.EqualTo("200 13 Hello, World!\n200 12 first second\n200 100000 abcdefghijklm\n200 twisted body\n"));
    }

    [Test]
    public void WrkRunsWithoutErrors()
    {
        var wrk = ExternalTool.Require("wrk");
        var (code, stdout, stderr) = ExternalTool.Run(wrk, ["-t1", "-c16", "-d2s", _server.Url("/hello")], ToolTimeout);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("requests in"));
        Assert.That(stdout, Does.Not.Contain("Socket errors"));
        Assert.That(stdout, Does.Not.Contain("Non-2xx"));
    }

    [Test]
    public void H2loadHttp11RunsWithoutErrors()
    {
        var h2load = ExternalTool.Require("h2load");
        var (code, stdout, stderr) = ExternalTool.Run(h2load, ["--h1", "-n", "2000", "-c", "8", "-m", "4", _server.Url("/hello")], ToolTimeout);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("2000 succeeded, 0 failed, 0 errored"));
        Assert.That(stdout, Does.Contain("status codes: 2000 2xx"));
    }
}
