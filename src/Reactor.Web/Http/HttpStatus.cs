using System.Text;

namespace Reactor.Web.Http;

/// <summary>Status codes and their reason phrases (RFC 9110 §15), with status lines encoded once.</summary>
public static class HttpStatus
{
    /// <summary>200 OK.</summary>
    public const int Ok = 200;
    /// <summary>206 Partial Content.</summary>
    public const int PartialContent = 206;
    /// <summary>304 Not Modified.</summary>
    public const int NotModified = 304;
    /// <summary>400 Bad Request.</summary>
    public const int BadRequest = 400;
    /// <summary>404 Not Found.</summary>
    public const int NotFound = 404;
    /// <summary>405 Method Not Allowed.</summary>
    public const int MethodNotAllowed = 405;
    /// <summary>408 Request Timeout.</summary>
    public const int RequestTimeout = 408;
    /// <summary>413 Content Too Large.</summary>
    public const int ContentTooLarge = 413;
    /// <summary>414 URI Too Long.</summary>
    public const int UriTooLong = 414;
    /// <summary>416 Range Not Satisfiable.</summary>
    public const int RangeNotSatisfiable = 416;
    /// <summary>417 Expectation Failed.</summary>
    public const int ExpectationFailed = 417;
    /// <summary>431 Request Header Fields Too Large.</summary>
    public const int RequestHeaderFieldsTooLarge = 431;
    /// <summary>500 Internal Server Error.</summary>
    public const int InternalServerError = 500;
    /// <summary>501 Not Implemented.</summary>
    public const int NotImplemented = 501;
    /// <summary>505 HTTP Version Not Supported.</summary>
    public const int HttpVersionNotSupported = 505;

    private static readonly Dictionary<int, string> Reasons = new()
    {
        [100] = "Continue", [101] = "Switching Protocols",
        [200] = "OK", [201] = "Created", [202] = "Accepted", [203] = "Non-Authoritative Information",
        [204] = "No Content", [205] = "Reset Content", [206] = "Partial Content",
        [300] = "Multiple Choices", [301] = "Moved Permanently", [302] = "Found", [303] = "See Other",
        [304] = "Not Modified", [307] = "Temporary Redirect", [308] = "Permanent Redirect",
        [400] = "Bad Request", [401] = "Unauthorized", [403] = "Forbidden", [404] = "Not Found",
        [405] = "Method Not Allowed", [406] = "Not Acceptable", [408] = "Request Timeout", [409] = "Conflict",
        [410] = "Gone", [411] = "Length Required", [412] = "Precondition Failed", [413] = "Content Too Large",
        [414] = "URI Too Long", [415] = "Unsupported Media Type", [416] = "Range Not Satisfiable",
        [417] = "Expectation Failed", [426] = "Upgrade Required", [429] = "Too Many Requests",
        [431] = "Request Header Fields Too Large",
        [500] = "Internal Server Error", [501] = "Not Implemented", [502] = "Bad Gateway",
        [503] = "Service Unavailable", [504] = "Gateway Timeout", [505] = "HTTP Version Not Supported",
    };

    private static readonly Dictionary<int, byte[]> StatusLines = Reasons.ToDictionary(
        pair => pair.Key, pair => Encoding.ASCII.GetBytes($"HTTP/1.1 {pair.Key} {pair.Value}\r\n"));

    /// <summary>The reason phrase of <paramref name="code"/> ("Unknown" for a code not in RFC 9110).</summary>
    public static string ReasonPhrase(int code) => Reasons.TryGetValue(code, out var reason) ? reason : "Unknown";

    /// <summary><c>HTTP/1.1 code reason CRLF</c> for a known code, encoded once; null otherwise.</summary>
    internal static byte[]? StatusLine(int code) => StatusLines.GetValueOrDefault(code);
}
