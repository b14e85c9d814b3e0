using System.Net;
using System.Net.Http.Headers;
using Reactor.Web.Static;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Static;

/// <summary>StaticFile over loopback, driven by .NET's HttpClient: types, validators, ranges, folders, traversal.</summary>
public sealed class StaticFileTests
{
    private string _root = null!;
    private LoopbackServer _server = null!;
    private HttpClient _client = null!;
    private byte[] _big = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("reactor-web-static-").FullName;
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "Hello, file!\n");
        File.WriteAllText(Path.Combine(_root, "page.html"), "<p>hi</p>");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "sub", "index.html"), "<h1>index</h1>");
        Directory.CreateDirectory(Path.Combine(_root, "list"));
        File.WriteAllText(Path.Combine(_root, "list", "a <b>.txt"), "a");
        _big = new byte[3 * 1024 * 1024 + 17];
        for (var i = 0; i < _big.Length; i++) _big[i] = (byte)(i % 251);
        File.WriteAllBytes(Path.Combine(_root, "big.bin"), _big);
        _server = new LoopbackServer(_ => new StaticFile(_root));
        _client = new HttpClient { Timeout = LoopbackServer.Deadline };
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        _server.Dispose();
        Directory.Delete(_root, recursive: true);
        Assert.That(_server.Logger.Errors, Is.Zero, string.Join("\n", _server.Logger.Messages));
    }

    [Test]
    public async Task ServesFilesWithTypeLengthAndValidators()
    {
        using var response = await _client.GetAsync(_server.Url("/hello.txt"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Hello, file!\n"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(13));
        Assert.That(response.Headers.ETag, Is.Not.Null);
        Assert.That(response.Content.Headers.LastModified, Is.Not.Null);
        Assert.That(response.Headers.AcceptRanges, Does.Contain("bytes"));
        using var html = await _client.GetAsync(_server.Url("/page.html"));
        Assert.That(html.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
    }

    [Test]
    public async Task ConditionalGetAnswers304()
    {
        using var first = await _client.GetAsync(_server.Url("/hello.txt"));
        using var byTag = new HttpRequestMessage(HttpMethod.Get, _server.Url("/hello.txt"));
        byTag.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _client.SendAsync(byTag);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        using var byDate = new HttpRequestMessage(HttpMethod.Get, _server.Url("/hello.txt"));
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        using var notModified2 = await _client.SendAsync(byDate);
        Assert.That(notModified2.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase(0L, 9L)]
    [TestCase(1_000_000L, 2_500_000L)]
    [TestCase(3_145_000L, null)]
    public async Task RangeRequestsGet206WithTheBytes(long from, long? to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.Url("/big.bin"));
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await _client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.PartialContent));
        var last = to ?? _big.Length - 1;
        Assert.That(response.Content.Headers.ContentRange?.ToString(), Is.EqualTo($"bytes {from}-{last}/{_big.Length}"));
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(_big[(int)from..(int)(last + 1)]));
    }

    [Test]
    public async Task SuffixRangeAndUnsatisfiableRange()
    {
        using var suffix = new HttpRequestMessage(HttpMethod.Get, _server.Url("/big.bin"));
        suffix.Headers.Range = new RangeHeaderValue(null, 100);
        using var tail = await _client.SendAsync(suffix);
        Assert.That(await tail.Content.ReadAsByteArrayAsync(), Is.EqualTo(_big[^100..]));
        using var outside = new HttpRequestMessage(HttpMethod.Get, _server.Url("/big.bin"));
        outside.Headers.Range = new RangeHeaderValue(_big.Length + 10, null);
        using var refused = await _client.SendAsync(outside);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.RequestedRangeNotSatisfiable));
        Assert.That(refused.Content.Headers.ContentRange?.ToString(), Is.EqualTo($"bytes */{_big.Length}"));
    }

    [Test]
    public async Task SeveralRangesAreAnsweredWithTheWholeFile()
    {
        // Single-range only, by choice: RFC 9110 §14.2 lets a server ignore Range, and
        // multipart/byteranges is not implemented (see docs/guides/http.md).
        using var request = new HttpRequestMessage(HttpMethod.Get, _server.Url("/big.bin"));
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-9,100-199");
        using var response = await _client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentRange, Is.Null);
        Assert.That(await response.Content.ReadAsByteArrayAsync(), Is.EqualTo(_big));
    }

    [Test]
    public async Task LargeFileArrivesWholeOverAKeptAliveConnection()
    {
        for (var i = 0; i < 2; i++)
        {
            var body = await _client.GetByteArrayAsync(_server.Url("/big.bin"));
            Assert.That(body, Is.EqualTo(_big));
        }
    }

    [Test]
    public async Task FoldersRedirectToSlashServeIndexAndList()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await noRedirect.GetAsync(_server.Url("/sub"));
        Assert.That((int)redirect.StatusCode, Is.EqualTo(301));
        Assert.That(redirect.Headers.Location?.ToString(), Is.EqualTo("/sub/"));
        Assert.That(await _client.GetStringAsync(_server.Url("/sub/")), Is.EqualTo("<h1>index</h1>"));
        var listing = await _client.GetStringAsync(_server.Url("/list/"));
        Assert.That(listing, Does.Contain("a &lt;b&gt;.txt"), "names are HTML-escaped");
        Assert.That(listing, Does.Contain("href=\"a%20%3Cb%3E.txt\""));
    }

    [TestCase("/../etc/passwd")]
    [TestCase("/%2e%2e/%2e%2e/etc/passwd")]
    [TestCase("/sub/..%2F..%2Fetc%2Fpasswd")]
    [TestCase("/missing.txt")]
    public async Task NothingOutsideTheFolderIsServed(string path)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, _server.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        var reply = await new StreamReader(stream).ReadToEndAsync();
        Assert.That(reply, Does.StartWith("HTTP/1.1 404 "));
        Assert.That(reply, Does.Not.Contain("root:"));
    }
}
