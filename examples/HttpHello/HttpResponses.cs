using System.Text;

namespace Reactor.Examples.HttpHello;

/// <summary>How a response ends the exchange.</summary>
public enum ResponseConnection
{
    /// <summary>HTTP/1.1 default: no Connection header, the connection stays open.</summary>
    KeepAliveDefault,

    /// <summary>An HTTP/1.0 client that asked to keep the connection: <c>Connection: keep-alive</c>.</summary>
    KeepAliveExplicit,

    /// <summary><c>Connection: close</c>; the server closes after this response.</summary>
    Close,
}

/// <summary>
/// Every response the server sends, encoded once at start-up: a response is copied from these
/// arrays around the current <see cref="HttpDate"/>, with no string or array made per request.
/// </summary>
public static class HttpResponses
{
    /// <summary>The body of every successful response.</summary>
    public static ReadOnlySpan<byte> HelloBody => "Hello, World!"u8;

    /// <summary>Status line and the headers before <c>Date</c> of the 200 response.</summary>
    internal static readonly byte[] OkHead = Ascii(
        "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\nDate: ");

    // After the date: the rest of the headers, the blank line and (unless HEAD) the body, by
    // ResponseConnection then [with body, without body].
    private static readonly byte[][][] OkTail =
    [
        [Ascii("\r\nServer: Reactor\r\n\r\nHello, World!"), Ascii("\r\nServer: Reactor\r\n\r\n")],
        [Ascii("\r\nServer: Reactor\r\nConnection: keep-alive\r\n\r\nHello, World!"), Ascii("\r\nServer: Reactor\r\nConnection: keep-alive\r\n\r\n")],
        [Ascii("\r\nServer: Reactor\r\nConnection: close\r\n\r\nHello, World!"), Ascii("\r\nServer: Reactor\r\nConnection: close\r\n\r\n")],
    ];

    private static readonly Dictionary<int, byte[]> ErrorHeads = new();
    private static readonly Dictionary<int, byte[]> ErrorTails = new();

    static HttpResponses()
    {
        foreach (var (status, reason) in new[]
                 {
                     (400, "Bad Request"), (414, "URI Too Long"), (431, "Request Header Fields Too Large"),
                     (501, "Not Implemented"), (505, "HTTP Version Not Supported"),
                 })
        {
            var body = reason + "\n";
            ErrorHeads[status] = Ascii($"HTTP/1.1 {status} {reason}\r\nContent-Length: {body.Length}\r\nContent-Type: text/plain\r\nDate: ");
            ErrorTails[status] = Ascii($"\r\nServer: Reactor\r\nConnection: close\r\n\r\n{body}");
        }
    }

    /// <summary>The error statuses the server can send (each closes the connection).</summary>
    public static IReadOnlyCollection<int> ErrorStatuses => ErrorHeads.Keys;

    /// <summary>The bytes after the date of a 200 response.</summary>
    internal static byte[] OkTailFor(ResponseConnection connection, bool withBody) => OkTail[(int)connection][withBody ? 0 : 1];

    /// <summary>The bytes before the date of an error response.</summary>
    internal static byte[] ErrorHead(int status) => ErrorHeads[status];

    /// <summary>The bytes after the date of an error response (with <c>Connection: close</c> and a one-line body).</summary>
    internal static byte[] ErrorTail(int status) => ErrorTails[status];

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
