namespace Reactor.Web.Server;

/// <summary>
/// Limits and timeouts of an HTTP server, each with a default chosen to keep memory bounded
/// against a hostile peer. A breach is answered with the status named on the property and the
/// connection is closed cleanly (response, then FIN, then the rest of the input read and dropped
/// for at most <see cref="LingerTimeout"/>).
/// </summary>
public sealed class HttpServerOptions
{
    /// <summary>Limit on the request line, in bytes without its line ending (default 8 KiB). Breach: 414.</summary>
    public int MaxRequestLineBytes { get; set; } = 8 * 1024;

    /// <summary>Limit on the header section after the request line, line endings included (default 16 KiB). Breach: 431.</summary>
    public int MaxHeaderBytes { get; set; } = 16 * 1024;

    /// <summary>Limit on the number of header fields (default 100). Breach: 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>
    /// Limit on a request body, declared or received (default 1 MiB). Breach: 413. A body the
    /// resource reads whole (<see cref="Request.Content"/>) is held in memory up to this size; a
    /// streamed body (<see cref="Request.DeliverBody"/>) is not held at all.
    /// </summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Time from the first byte of a request to the end of its header section (default 30 s).
    /// Breach: 408.
    /// </summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest pause between two reads of a request body while the server waits for it (default
    /// 30 s). Breach: 408 if no response has started, else the connection is aborted.
    /// </summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an idle kept-alive connection (no request in progress) stays open (default 120 s).
    /// Breach: the connection is closed without a response (RFC 9112 §9.8).
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a closing connection waits for the client's FIN before closing anyway (default 2 s).</summary>
    public TimeSpan LingerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether an HTTP/1.1 request without <c>Host</c> is refused with 400 (default true, as
    /// RFC 9112 §3.2 requires).
    /// </summary>
    public bool RequireHost { get; set; } = true;

    /// <summary>
    /// Whether a bare LF ends a line of the request head (default false: CRLF only, 400 otherwise).
    /// RFC 9112 §2.2 allows accepting it, but a server that reads lines differently from a proxy in
    /// front of it is open to request smuggling.
    /// </summary>
    public bool AllowBareLineFeed { get; set; }

    /// <summary>The <c>Server</c> header sent with every response, or null for none (default "Reactor").</summary>
    public string? ServerName { get; set; } = "Reactor";

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestLineBytes, 16, nameof(MaxRequestLineBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderBytes, 16, nameof(MaxHeaderBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderCount, 1, nameof(MaxHeaderCount));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBodyBytes, nameof(MaxBodyBytes));
        foreach (var (value, name) in new[] { (HeadersTimeout, nameof(HeadersTimeout)), (BodyTimeout, nameof(BodyTimeout)),
                     (KeepAliveTimeout, nameof(KeepAliveTimeout)), (LingerTimeout, nameof(LingerTimeout)) })
        {
            if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "Timeouts must be positive.");
        }
    }
}
