using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Time;
using Reactor.Web.Http;

namespace Reactor.Web.Client;

/// <summary>
/// An HTTP/1.1 client (Twisted's <c>twisted.web.client.Agent</c> with a persistent
/// <c>HTTPConnectionPool</c>, and <c>RedirectAgent</c> when <see cref="AgentOptions.FollowRedirects"/>
/// is set): <see cref="Request(string, Uri, Headers?, ReadOnlyMemory{byte}?)"/> gives a Deferred of the <see cref="Response"/> head; the body is
/// then streamed to a protocol or read whole with a limit.
/// </summary>
/// <remarks>
/// Connections are made with <see cref="Reactor.Net.Endpoints.HostnameEndpoint"/> (every address of
/// the name, Happy Eyeballs) and, for https, the TLS layer with certificate verification against
/// the URL's host. A request that fails on a reused kept-alive connection before any response byte
/// arrived (the server closed it meanwhile) is retried once on a new connection if its method is
/// idempotent. Use on the reactor thread.
/// </remarks>
/// <example>
/// <code>
/// var agent = new Agent(reactor, reactor);
/// var response = await agent.Request("GET", new Uri("http://example.com/"));
/// var body = await response.ReadBodyAsync(maxBytes: 1 &lt;&lt; 20);
/// </code>
/// </example>
public sealed class Agent
{
    private static readonly HashSet<string> Idempotent = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"];
    private readonly ConnectionPool _pool;

    /// <summary>Creates an agent.</summary>
    /// <param name="tcp">Makes connections (the reactor).</param>
    /// <param name="time">Schedules timeouts (the reactor).</param>
    /// <param name="options">Timeouts, pool size, redirects, TLS; null for the defaults.</param>
    public Agent(IReactorTcp tcp, IReactorTime time, AgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tcp);
        ArgumentNullException.ThrowIfNull(time);
        Options = options ?? new AgentOptions();
        _pool = new ConnectionPool(tcp, time, Options);
    }

    /// <summary>The options this agent was made with.</summary>
    public AgentOptions Options { get; }

    /// <summary>How many kept-alive connections wait in the pool.</summary>
    public int IdleConnections => _pool.IdleCount;

    /// <summary>Closes every idle pooled connection (Twisted's <c>closeCachedConnections</c>).</summary>
    public void CloseIdleConnections() => _pool.CloseIdle();

    /// <summary>Sends a request (Twisted's <c>request</c>); <paramref name="uri"/> is an absolute http or https URL.</summary>
    public Deferred<Response> Request(string method, string uri, Headers? headers = null, ReadOnlyMemory<byte>? body = null) =>
        Request(method, new Uri(uri, UriKind.Absolute), headers, body);

    /// <summary>
    /// Sends a request and fires with the response head (or fails with <see cref="ResponseFailed"/>,
    /// a connection error, or <see cref="TimeoutException"/>).
    /// </summary>
    /// <param name="method">The method, e.g. "GET" (a token).</param>
    /// <param name="uri">An absolute http or https URL.</param>
    /// <param name="headers">Request headers; <c>Host</c> and <c>Content-Length</c> are set by the agent.</param>
    /// <param name="body">The request body, sent with a <c>Content-Length</c>; null for none.</param>
    public Deferred<Response> Request(string method, Uri uri, Headers? headers = null, ReadOnlyMemory<byte>? body = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        if (!HttpSyntax.IsToken(System.Text.Encoding.Latin1.GetBytes(method))) throw new ArgumentException($"'{method}' is not a valid method.", nameof(method));
        if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https")) throw new ArgumentException("The URL must be absolute, http or https.", nameof(uri));
        return RequestFollowing(method, uri, headers ?? new Headers(), body, Options.FollowRedirects ? Options.MaxRedirects : 0, null);
    }

    private Deferred<Response> RequestFollowing(string method, Uri uri, Headers headers, ReadOnlyMemory<byte>? body, int redirectsLeft, Response? previous)
    {
        return RequestOnce(method, uri, headers, body, retry: true).AddCallback(response =>
        {
            response.PreviousResponse = previous;
            if (!Options.FollowRedirects || response.Code is not (301 or 302 or 303 or 307 or 308)) return Deferred.Succeed(response);
            var location = response.Headers.Get("Location");
            if (location is null) return Deferred.Succeed(response);
            if (redirectsLeft <= 0)
            {
                return Deferred.Fail<Response>(new ResponseFailed($"Too many redirects (more than {Options.MaxRedirects}); the last pointed to {location}."));
            }
            if (!Uri.TryCreate(uri, location, out var next) || next.Scheme is not ("http" or "https"))
            {
                return Deferred.Fail<Response>(new ResponseFailed($"The redirect to '{location}' is not an http or https URL."));
            }
            // The redirect's body is not wanted: read and drop it so the connection can be reused.
            response.ReadBodyAsync(1024 * 1024).AddErrback(_ => Array.Empty<byte>());
            // 303, and 301/302 after a POST (as browsers and Twisted do), become GET without a body.
            var nextMethod = method;
            var nextBody = body;
            if (response.Code == 303 && method != "HEAD" || response.Code is 301 or 302 && method == "POST")
            {
                nextMethod = "GET";
                nextBody = null;
            }
            var nextHeaders = new Headers(headers.Where(h => !string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase)
                && !(next.Host != uri.Host && (string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase) || string.Equals(h.Key, "Cookie", StringComparison.OrdinalIgnoreCase)))));
            return RequestFollowing(nextMethod, next, nextHeaders, nextBody, redirectsLeft - 1, response);
        });
    }

    private Deferred<Response> RequestOnce(string method, Uri uri, Headers headers, ReadOnlyMemory<byte>? body, bool retry)
    {
        var key = new PoolKey(uri.Scheme, uri.IdnHost, uri.Port);
        var connected = _pool.Get(key, out var reused);
        return connected.AddCallback(connection =>
        {
            var result = new Deferred<Response>();
            connection.Send(method, uri, headers, body, result);
            if (!retry || !reused || !Idempotent.Contains(method)) return result;
            return result.AddErrback(failure =>
            {
                // A kept-alive connection the server had closed: try once more on a fresh one.
                if (connection.FailedBeforeResponse) return RequestOnce(method, uri, headers, body, retry: false);
                return Deferred.Fail<Response>(failure);
            });
        });
    }
}
