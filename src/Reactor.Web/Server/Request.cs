using System.Net;
using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Web.Http;

namespace Reactor.Web.Server;

/// <summary>
/// One HTTP request and its response (Twisted's <c>twisted.web.server.Request</c>): read the
/// method, target, headers and body; answer with <see cref="SetResponseCode"/>,
/// <see cref="SetHeader(string, string)"/>, <see cref="Write(ReadOnlySpan{byte})"/> and
/// <see cref="Finish"/>, now or later.
/// </summary>
/// <remarks>
/// <para>Everything is read straight from the bytes the connection received: no string is made
/// for a header, the method or the path unless a property that returns a string is used.</para>
/// <para>A connection reuses its <see cref="Request"/> object for the next request once this one
/// is finished: do not keep it (or spans it returned) past <see cref="Finish"/>. Every member must
/// be used on the reactor thread.</para>
/// </remarks>
public sealed partial class Request : IConsumer
{
    private readonly HttpChannel _channel;
    private readonly HeaderBlock _head;
    private int _methodLength;
    private int _targetStart;
    private int _targetLength;
    private int _pathStart;
    private int _pathLength;
    private int _prePathEnd;
    private string? _method;
    private string? _uri;
    private string? _path;
    private Dictionary<string, List<string>>? _args;
    private byte[] _body = [];
    private int _bodyLength;

    internal Request(HttpChannel channel, HeaderBlock head)
    {
        _channel = channel;
        _head = head;
    }

    /// <summary>The site serving this request.</summary>
    public Site Site => _channel.Site;

    /// <summary>The request method as bytes, e.g. <c>GET</c> (case-sensitive, RFC 9110 §9.1).</summary>
    public ReadOnlySpan<byte> MethodBytes => _head.Slice(0, _methodLength);

    /// <summary>The request method, e.g. "GET" (common methods return a cached string).</summary>
    public string Method => _method ??= KnownMethod(MethodBytes) ?? Encoding.ASCII.GetString(MethodBytes);

    /// <summary>The request-target exactly as sent (Twisted's <c>uri</c>) as bytes.</summary>
    public ReadOnlySpan<byte> UriBytes => _head.Slice(_targetStart, _targetLength);

    /// <summary>The request-target exactly as sent (Twisted's <c>uri</c>), e.g. <c>/a/b?x=1</c>.</summary>
    public string Uri => _uri ??= Encoding.Latin1.GetString(UriBytes);

    /// <summary>The path of the target, without the query, still percent-encoded, as bytes.</summary>
    public ReadOnlySpan<byte> PathBytes => _head.Slice(_pathStart, _pathLength);

    /// <summary>The path of the target, without the query, still percent-encoded (Twisted's <c>path</c>).</summary>
    public string Path => _path ??= Encoding.Latin1.GetString(PathBytes);

    /// <summary>The query string after <c>?</c>, without it, as bytes (empty if there is none).</summary>
    public ReadOnlySpan<byte> QueryBytes
    {
        get
        {
            var target = UriBytes;
            var question = target.IndexOf((byte)'?');
            return question < 0 ? default : target[(question + 1)..];
        }
    }

    /// <summary>The protocol version the client used: "HTTP/1.0" or "HTTP/1.1" (Twisted's <c>clientproto</c>).</summary>
    public string ClientProtocol => IsHttp10 ? "HTTP/1.0" : "HTTP/1.1";

    /// <summary>True for an HTTP/1.0 request.</summary>
    public bool IsHttp10 { get; private set; }

    /// <summary>True for a HEAD request: the response's body is not sent (its length still is).</summary>
    public bool IsHead { get; private set; }

    /// <summary>
    /// The query arguments, percent-decoded with <c>+</c> as space (Twisted's <c>args</c>); built
    /// on first use.
    /// </summary>
    public IReadOnlyDictionary<string, List<string>> Args => _args ??= QueryString.Parse(QueryBytes);

    /// <summary>The first value of query argument <paramref name="name"/>, or null.</summary>
    public string? GetArgument(string name) => Args.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>
    /// The path segments already walked to reach the resource rendering this request (Twisted's
    /// <c>prepath</c>); built on use.
    /// </summary>
    public IReadOnlyList<string> PrePath => Segments(PathBytes[..Math.Min(_prePathEnd, _pathLength)]);

    /// <summary>The path segments not walked yet (Twisted's <c>postpath</c>); built on use.</summary>
    public IReadOnlyList<string> PostPath => _prePathEnd >= _pathLength ? [] : Segments(PathBytes[(_prePathEnd + 1)..]);

    /// <summary>The request body, when the resource reads it whole (the default): empty otherwise or when there is none.</summary>
    public ReadOnlyMemory<byte> Content => _body.AsMemory(0, _bodyLength);

    /// <summary>The first value of request header <paramref name="name"/>, or null (Twisted's <c>getHeader</c>).</summary>
    public string? GetHeader(string name) => _head.Get(name);

    /// <summary>The first value of request header <paramref name="name"/> (ASCII, any case) as bytes, without allocating.</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) => _head.TryGet(name, out value);

    /// <summary>Every request header in order, as sent (allocates).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestHeaders => _head.ToList();

    /// <summary>The client's address (Twisted's <c>getClientAddress</c>).</summary>
    public EndPoint GetClientAddress() => _channel.Transport.GetPeer();

    /// <summary>The server's address on this connection (Twisted's <c>getHost</c>).</summary>
    public EndPoint GetHost() => _channel.Transport.GetHost();

    /// <summary>True when the request came over TLS, for example through <c>ListenSsl</c> (Twisted's <c>isSecure</c>).</summary>
    public bool IsSecure => _channel.Transport is Reactor.Net.Tls.ITlsTransport;

    /// <summary>
    /// Streams the request body to <paramref name="protocol"/> instead of holding it: its
    /// <c>DataReceived</c> gets each piece as it arrives and its <c>ConnectionLost</c> ends the body
    /// with <see cref="ResponseDone"/> (or the failure). Pausing the protocol's transport stops reading
    /// the connection (backpressure). Only for resources with <see cref="Resource.StreamRequestBody"/>;
    /// call at most once. A client that sent <c>Expect: 100-continue</c> is told to continue now.
    /// </summary>
    /// <exception cref="InvalidOperationException">The body was already delivered or read whole.</exception>
    public void DeliverBody(IProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _channel.DeliverBody(protocol);
    }

    /// <summary>Stops reading the request body (and the connection) until <see cref="ResumeBody"/>.</summary>
    public void PauseBody() => _channel.PauseBody();

    /// <summary>Resumes reading after <see cref="PauseBody"/>.</summary>
    public void ResumeBody() => _channel.ResumeBody();

    /// <summary>Counts the requests this object has stood for on its connection.</summary>
    internal int Generation { get; private set; }

    internal int PrePathEnd
    {
        get => _prePathEnd;
        set => _prePathEnd = value;
    }

    internal void AppendBody(ReadOnlySpan<byte> data)
    {
        if (_bodyLength + data.Length > _body.Length) Array.Resize(ref _body, Math.Max(_bodyLength + data.Length, Math.Max(256, _body.Length * 2)));
        data.CopyTo(_body.AsSpan(_bodyLength));
        _bodyLength += data.Length;
    }

    /// <summary>Sets up from a parsed request line; false (with the status) when it is not one we serve.</summary>
    internal bool Begin(int startLineLength, out int errorStatus)
    {
        Generation++;
        ResetRequest();
        ResetResponse();
        errorStatus = HttpStatus.BadRequest;
        var line = _head.Slice(0, startLineLength);
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0 || !HttpSyntax.IsToken(line[..firstSpace])) return false;
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0 || !HttpSyntax.IsRequestTarget(rest[..secondSpace])) return false;
        var version = rest[(secondSpace + 1)..];
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !HttpSyntax.IsDigit(version[5]) || version[6] != '.' || !HttpSyntax.IsDigit(version[7]))
        {
            return false;
        }
        if (version[5] != '1')
        {
            errorStatus = HttpStatus.HttpVersionNotSupported;
            return false;
        }
        _methodLength = firstSpace;
        _targetStart = firstSpace + 1;
        _targetLength = secondSpace;
        IsHttp10 = version[7] == '0';
        IsHead = MethodBytes.SequenceEqual("HEAD"u8);
        var target = UriBytes;
        var pathStart = 0;
        if (target[0] != '/')
        {
            if (target.SequenceEqual("*"u8))
            {
                if (!MethodBytes.SequenceEqual("OPTIONS"u8)) return false;
            }
            else if (StartsWithScheme(target, out var afterScheme))
            {
                // Absolute form (RFC 9112 §3.2.2): the path starts at the first '/' after the authority.
                var slash = target[afterScheme..].IndexOf((byte)'/');
                pathStart = slash < 0 ? target.Length : afterScheme + slash;
            }
            else if (MethodBytes.SequenceEqual("CONNECT"u8))
            {
                errorStatus = HttpStatus.NotImplemented;
                return false;
            }
            else return false;
        }
        var query = target[pathStart..].IndexOf((byte)'?');
        _pathStart = _targetStart + pathStart;
        _pathLength = query < 0 ? target.Length - pathStart : query;
        var hash = PathBytes.IndexOf((byte)'#');
        if (hash >= 0) return false;
        return true;
    }

    private static bool StartsWithScheme(ReadOnlySpan<byte> target, out int afterScheme)
    {
        afterScheme = 0;
        if (target.Length > 7 && HttpSyntax.EqualsIgnoreCase(target[..7], "http://"u8)) afterScheme = 7;
        else if (target.Length > 8 && HttpSyntax.EqualsIgnoreCase(target[..8], "https://"u8)) afterScheme = 8;
        return afterScheme > 0;
    }

    private void ResetRequest()
    {
        _method = _uri = _path = null;
        _args = null;
        _bodyLength = 0;
        _prePathEnd = 0;
        IsHead = IsHttp10 = false;
        if (_body.Length > 64 * 1024) _body = [];
    }

    private static List<string> Segments(ReadOnlySpan<byte> path)
    {
        var list = new List<string>();
        if (path.IsEmpty) return list;
        if (path[0] == '/') path = path[1..];
        while (true)
        {
            var slash = path.IndexOf((byte)'/');
            list.Add(Encoding.Latin1.GetString(slash < 0 ? path : path[..slash]));
            if (slash < 0) return list;
            path = path[(slash + 1)..];
        }
    }

    private static string? KnownMethod(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => "GET",
        _ when method.SequenceEqual("HEAD"u8) => "HEAD",
        _ when method.SequenceEqual("POST"u8) => "POST",
        _ when method.SequenceEqual("PUT"u8) => "PUT",
        _ when method.SequenceEqual("DELETE"u8) => "DELETE",
        _ when method.SequenceEqual("PATCH"u8) => "PATCH",
        _ when method.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        _ => null,
    };
}
