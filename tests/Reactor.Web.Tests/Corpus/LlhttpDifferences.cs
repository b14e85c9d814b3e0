namespace Reactor.Web.Tests.Corpus;

/// <summary>What we do with an llhttp case on purpose differently from llhttp's strict mode, and why.</summary>
/// <param name="Outcome">Our outcome, exactly as <see cref="LlhttpCorpusTests"/> describes it (the test asserts it).</param>
/// <param name="Why">The reason, citing the RFC or the option.</param>
public sealed record LlhttpDifference(string Outcome, string Why);

/// <summary>
/// The llhttp cases (see Corpus/llhttp/README.md) where our reaction differs on purpose. Each
/// entry names OUR outcome, which the corpus test asserts like any other expectation: request
/// outcomes are the statuses answered and whether the connection was closed; response outcomes
/// are the status, body length and end reason, or the failure.
/// </summary>
public static class LlhttpDifferences
{
    private const string Upgrade = "we do not implement Upgrade: RFC 9110 §7.8 lets a server ignore it and answer the request; llhttp pauses (reported as an error) to hand the connection over";
    private const string AnyToken = "any token is a method (RFC 9110 §9.1); llhttp keeps a fixed list. The resource answers (here: 200; the HTTP/1.0 one then closes)";
    private const string SkipBody = "llhttp's test skips the body through its callback API (on_headers_complete returning 1); a recipient must read the 123 declared bytes: the server waits for them, the client takes the next 40 bytes as body and fails the cut-short body";
    private const string OnlyChunked = "we decode only chunked: a body also coded with another coding gets 501 (RFC 9112 §6.1) rather than being passed on still coded";
    private const string BareLf = "the client accepts a bare LF as a line end (RFC 9112 §2.2 allows it; the server does not, see HttpServerOptions.AllowBareLineFeed)";

    /// <summary>Request cases, keyed by "request/FILE: TITLE".</summary>
    public static readonly Dictionary<string, LlhttpDifference> Requests = new()
    {
        ["request/connection.md: No restart when keep-alive is off (1.0)"] = new("200, closed", "after a closing response we drop later bytes and close (FIN); llhttp reports them as an error"),
        ["request/connection.md: Multiple tokens with folding and LWS"] = new("200, open", Upgrade),
        ["request/connection.md: Setting a flag and pausing"] = new("200, open", Upgrade),
        ["request/connection.md: Emitting part of body and pausing"] = new("200, open", Upgrade),
        ["request/connection.md: Upgrade GET request"] = new("200, open", Upgrade),
        ["request/connection.md: Upgrade POST request"] = new("200, open", Upgrade),
        ["request/content-length.md: Content-Length reset when no body is received"] = new("no response, open", SkipBody),
        ["request/invalid.md: HTTP protocol and ANNOUNCE method"] = new("200, closed", AnyToken),
        ["request/invalid.md: Invalid method"] = new("200, open", AnyToken),
        ["request/method.md: M-SEARCH request"] = new("400, closed", "SSDP's `*` target is for OPTIONS only in HTTP (RFC 9112 §3.2.4): 400"),
        ["request/method.md: SOURCE request with ICE"] = new("400, closed", "ICE/x.x is not HTTP: 400"),
        ["request/method.md: OPTIONS request with RTSP"] = new("400, closed", "RTSP/x.x is not HTTP: 400"),
        ["request/method.md: ANNOUNCE request with RTSP"] = new("400, closed", "RTSP/x.x is not HTTP: 400"),
        ["request/sample.md: No HTTP version"] = new("400, closed", "HTTP/0.9 (no version) is not served: 400"),
        ["request/transfer-encoding.md: Unbalanced chunk extensions quoting"] = new("200, open", "chunk extensions are skipped, not parsed (RFC 9112 §7.1.1 lets a recipient ignore them); the chunk data is framed correctly either way"),
        ["request/transfer-encoding.md: POST with `chunked` as last transfer-encoding"] = new("501, closed", OnlyChunked),
        ["request/transfer-encoding.md: POST with `chunked` as last transfer-encoding (multiple headers)"] = new("501, closed", OnlyChunked),
    };

    /// <summary>Response cases, keyed by "response/FILE: TITLE".</summary>
    public static readonly Dictionary<string, LlhttpDifference> Responses = new()
    {
        ["response/connection.md: HTTP 103 first, then 200"] = new("200, 16 body bytes, ResponseFailed", "a 1xx is an interim response, skipped by the client; the final response here has 16 of its 17 bytes when the input ends, so its body ends with ResponseFailed"),
        ["response/content-length.md: Content-Length reset when no body is received"] = new("200, 40 body bytes, ResponseFailed", SkipBody),
        ["response/invalid.md: Only LFs present and no body"] = new("200, 0 body bytes, ResponseDone", BareLf),
        ["response/invalid.md: Only LFs present"] = new("200, 6 body bytes, PotentialDataLoss", BareLf),
        ["response/sample.md: No carriage ret"] = new("200, 51 body bytes, PotentialDataLoss", BareLf),
    };
}
