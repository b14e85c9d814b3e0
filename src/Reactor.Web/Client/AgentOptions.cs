using Reactor.Net.Tls;

namespace Reactor.Web.Client;

/// <summary>How an <see cref="Agent"/> connects, pools, waits and follows redirects; each with a documented default.</summary>
public sealed class AgentOptions
{
    /// <summary>Time allowed to connect (name resolution and Happy Eyeballs included; default 30 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time from sending a request to the end of the response head (default 60 s).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest pause while a body is being read (default 60 s); the response body then fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan BodyIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Kept-alive connections held per scheme, host and port (Twisted's <c>maxPersistentPerHost</c>, default 2); 0 disables pooling.</summary>
    public int MaxIdlePerHost { get; set; } = 2;

    /// <summary>How long an idle pooled connection is kept (Twisted's <c>cachedConnectionTimeout</c>, default 240 s).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(240);

    /// <summary>Whether 301/302/303/307/308 are followed (default false, as Twisted's plain <c>Agent</c>).</summary>
    public bool FollowRedirects { get; set; }

    /// <summary>Redirects followed before the request fails (default 20, as Twisted's <c>RedirectAgent</c>).</summary>
    public int MaxRedirects { get; set; } = 20;

    /// <summary>Limit on a response head (status line and headers; default 64 KiB).</summary>
    public int MaxResponseHeadBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// TLS settings for https URLs; null for the defaults (the system's trusted roots, the URL's host
    /// as the name to verify). The server name is always set from the URL.
    /// </summary>
    public TlsClientOptions? Tls { get; set; }

    /// <summary>The <c>User-Agent</c> sent when the request has none (default "Reactor.Web"); null for none.</summary>
    public string? UserAgent { get; set; } = "Reactor.Web";
}
