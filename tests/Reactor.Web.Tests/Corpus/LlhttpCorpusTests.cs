using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Client;
using Reactor.Web.Server;
using Reactor.Web.Tests.Server;

namespace Reactor.Web.Tests.Corpus;

/// <summary>
/// llhttp's request and response test cases (https://github.com/nodejs/llhttp, test/*.md; see
/// Corpus/llhttp/README.md) replayed through our server and client connections. Whatever the
/// input, nothing throws out of the parser. Where llhttp reports an error, the server answers a
/// 4xx/5xx and closes, and the client fails the response with <see cref="ResponseFailed"/>;
/// where llhttp completes N messages, the server answers N. Cases where we differ on purpose
/// are listed in <see cref="RequestDifferences"/> / <see cref="ResponseDifferences"/> with why.
/// </summary>
public sealed class LlhttpCorpusTests
{
    private const string Upgrade = "we do not implement Upgrade: RFC 9110 §7.8 lets a server ignore it and answer the request; llhttp pauses (reported as an error) to hand the connection over";

    /// <summary>Request cases whose outcome differs from llhttp's strict mode, and why.</summary>
    public static readonly Dictionary<string, string> RequestDifferences = new()
    {
        ["request/connection.md: No restart when keep-alive is off (1.0)"] = "after a closing response we drop later bytes and close (FIN); llhttp reports them as an error; the client sees the same: one answer, then close",
        ["request/connection.md: Multiple tokens with folding and LWS"] = Upgrade,
        ["request/connection.md: Setting a flag and pausing"] = Upgrade,
        ["request/connection.md: Emitting part of body and pausing"] = Upgrade,
        ["request/connection.md: Upgrade GET request"] = Upgrade,
        ["request/connection.md: Upgrade POST request"] = Upgrade,
        ["request/content-length.md: Content-Length reset when no body is received"] = "llhttp's test skips the body through its callback API (on_headers_complete returning 1); a server must read the 123 declared bytes",
        ["request/invalid.md: HTTP protocol and ANNOUNCE method"] = "any token is a method (RFC 9110 §9.1); llhttp keeps a fixed list. The resource answers (405 for methods it does not allow)",
        ["request/invalid.md: Invalid method"] = "any token is a method (RFC 9110 §9.1); llhttp keeps a fixed list. The resource answers (405 for methods it does not allow)",
        ["request/method.md: M-SEARCH request"] = "SSDP's `*` target is for OPTIONS only in HTTP (RFC 9112 §3.2.4): 400",
        ["request/method.md: SOURCE request with ICE"] = "ICE/x.x is not HTTP: 400",
        ["request/method.md: OPTIONS request with RTSP"] = "RTSP/x.x is not HTTP: 400",
        ["request/method.md: ANNOUNCE request with RTSP"] = "RTSP/x.x is not HTTP: 400",
        ["request/sample.md: No HTTP version"] = "HTTP/0.9 (no version) is not served: 400",
        ["request/transfer-encoding.md: Unbalanced chunk extensions quoting"] = "chunk extensions are skipped, not parsed (RFC 9112 §7.1.1 lets a recipient ignore them); the chunk data is framed correctly either way",
        ["request/transfer-encoding.md: POST with `chunked` as last transfer-encoding"] = "we decode only chunked: a body also coded with another coding gets 501 (RFC 9112 §6.1) rather than being passed on still coded",
        ["request/transfer-encoding.md: POST with `chunked` as last transfer-encoding (multiple headers)"] = "we decode only chunked: a body also coded with another coding gets 501 (RFC 9112 §6.1) rather than being passed on still coded",
    };

    /// <summary>Response cases whose outcome differs from llhttp's strict mode, and why.</summary>
    public static readonly Dictionary<string, string> ResponseDifferences = new()
    {
        ["response/connection.md: HTTP 103 first, then 200"] = "a 1xx is an interim response, skipped by the client; the final response in this input is cut short, so the request fails with ResponseFailed",
        ["response/content-length.md: Content-Length reset when no body is received"] = "llhttp's test skips the body through its callback API; a client must read the declared body",
        ["response/invalid.md: Only LFs present and no body"] = "the client accepts a bare LF as a line end (RFC 9112 §2.2 allows it; the server does not, see HttpServerOptions.AllowBareLineFeed)",
        ["response/invalid.md: Only LFs present"] = "the client accepts a bare LF as a line end (RFC 9112 §2.2 allows it; the server does not, see HttpServerOptions.AllowBareLineFeed)",
        ["response/sample.md: No carriage ret"] = "the client accepts a bare LF as a line end (RFC 9112 §2.2 allows it; the server does not, see HttpServerOptions.AllowBareLineFeed)",
    };

    public static IEnumerable<TestCaseData> Requests() =>
        LlhttpCorpus.Load("request").Select(c => new TestCaseData(c).SetName($"Request {c.File} {c.Title}"));

    public static IEnumerable<TestCaseData> Responses() =>
        LlhttpCorpus.Load("response").Select(c => new TestCaseData(c).SetName($"Response {c.File} {c.Title}"));

    [Test]
    public void TheCorpusIsThere()
    {
        Assert.That(LlhttpCorpus.Load("request").Count(), Is.GreaterThan(100));
        Assert.That(LlhttpCorpus.Load("response").Count(), Is.GreaterThan(50));
    }

    [TestCaseSource(nameof(Requests))]
    public void RequestCase(LlhttpCase c)
    {
        // llhttp is a parser: it does not require Host, so neither do we here (RequireHost has its own tests).
        var h = ChannelHarness.For(r => r.Write("ok"), new HttpServerOptions { RequireHost = false });
        h.Channel.DataReceived(c.Input);
        // llhttp checks each byte as it comes and fails on a prefix; we check a line once it is
        // complete. So when llhttp fails and we are still waiting, end the head: we must reject then.
        if (c.ExpectsError && h.Transport.Written.IsEmpty) h.Channel.DataReceived("\r\n\r\n"u8);
        if (c.Type.EndsWith("-finish", StringComparison.Ordinal)) h.Channel.ReadConnectionLost();
        var responses = ParsedResponse.ParseAll(h.Transport.Value(), head: c.Input.AsSpan().StartsWith("HEAD "u8));
        var answered = responses.Count(r => r.Status < 400);
        var rejected = responses.Count > 0 && responses[^1].Status >= 400;
        var outcome = rejected ? $"rejected with {responses[^1].Status} after {answered}" : $"answered {answered}";
        var expected = c.ExpectsError ? $"error after {c.MessagesCompleted}" : $"{c.MessagesCompleted} messages";
        if (RequestDifferences.TryGetValue(c.ToString(), out var why))
        {
            Assert.Pass($"differs on purpose ({why}): llhttp {expected}, we {outcome}");
        }
        if (c.ExpectsError)
        {
            Assert.That(rejected, Is.True, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}\noutput: {h.Output}");
            Assert.That(h.Transport.WriteDisconnected || h.Transport.Disconnecting, Is.True, "closed after the error");
        }
        else
        {
            Assert.That(rejected, Is.False, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}\noutput: {h.Output}");
            Assert.That(answered, Is.EqualTo(c.MessagesCompleted), $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}\noutput: {h.Output}");
        }
    }

    private static string Show(byte[] input) => Encoding.Latin1.GetString(input).Replace("\r", "\\r").Replace("\n", "\\n\n");

    private sealed class Collector : Protocol
    {
        public readonly MemoryStream Body = new();
        public Failure? End;

        public override void DataReceived(ReadOnlySpan<byte> data) => Body.Write(data);

        public override void ConnectionLost(Failure reason) => End = reason;
    }

    [TestCaseSource(nameof(Responses))]
    public void ResponseCase(LlhttpCase c)
    {
        var method = Encoding.ASCII.GetString(c.Input).Contains("HEAD") && c.Title.Contains("HEAD", StringComparison.OrdinalIgnoreCase) ? "HEAD" : "GET";
        var clock = new Clock();
        var connection = ClientConnections.Create(clock);
        var transport = new StringTransport();
        connection.MakeConnection(transport);
        var result = new Deferred<Response>();
        Response? response = null;
        Failure? failure = null;
        var body = new Collector();
        result.AddCallbacks<object?>(r =>
        {
            response = r;
            r.DeliverBody(body);
            return null;
        }, f =>
        {
            failure = f;
            return null;
        });
        connection.Send(method, new Uri("http://example.com/"), new Reactor.Web.Http.Headers(), null, result);
        connection.DataReceived(c.Input);
        if (connection.Connected) connection.ConnectionLost(new Failure(new ConnectionDone()));
        var completed = response is not null && body.End?.Value is Reactor.Web.Http.ResponseDone or Reactor.Web.Http.PotentialDataLoss;
        var outcome = failure is not null ? $"failed: {failure.Value.Message}" : completed ? "completed" : $"incomplete ({body.End?.Value.GetType().Name})";
        var expected = c.ExpectsError ? $"error after {c.MessagesCompleted}" : $"{c.MessagesCompleted} messages";
        if (ResponseDifferences.TryGetValue(c.ToString(), out var why))
        {
            Assert.Pass($"differs on purpose ({why}): llhttp {expected}, we {outcome}");
        }
        if (c.ExpectsError && c.MessagesCompleted == 0)
        {
            Assert.That(completed, Is.False, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}");
        }
        else if (c.MessagesCompleted >= 1)
        {
            Assert.That(completed, Is.True, $"llhttp: {expected}; we {outcome}\ninput: {Show(c.Input)}");
        }
    }
}
