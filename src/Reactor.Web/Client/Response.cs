using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Web.Http;

namespace Reactor.Web.Client;

/// <summary>
/// A response head, with its body still to read (Twisted's <c>IResponse</c>): deliver the body to
/// a protocol with <see cref="DeliverBody"/>, or read it whole with <see cref="ReadBodyAsync"/>.
/// Until one of them is called the connection is not read any further.
/// </summary>
public sealed class Response
{
    private readonly HttpClientConnection? _connection;
    private bool _delivered;

    internal Response(HttpClientConnection? connection, string method, Uri uri, int code, string phrase, bool http10, Headers headers, long length)
    {
        _connection = connection;
        RequestMethod = method;
        RequestUri = uri;
        Code = code;
        Phrase = phrase;
        Version = http10 ? new Version(1, 0) : new Version(1, 1);
        Headers = headers;
        Length = length;
    }

    /// <summary>The status code (Twisted's <c>code</c>).</summary>
    public int Code { get; }

    /// <summary>The reason phrase (Twisted's <c>phrase</c>).</summary>
    public string Phrase { get; }

    /// <summary>The HTTP version of the response.</summary>
    public Version Version { get; }

    /// <summary>The response headers.</summary>
    public Headers Headers { get; }

    /// <summary>The body length from <c>Content-Length</c>, or -1 when it is not known in advance (Twisted's <c>length</c> is UNKNOWN_LENGTH).</summary>
    public long Length { get; }

    /// <summary>The method of the request this answers.</summary>
    public string RequestMethod { get; }

    /// <summary>The URL this response came from (after redirects, the last one).</summary>
    public Uri RequestUri { get; }

    /// <summary>The response that redirected to this one, if redirects were followed (Twisted's <c>previousResponse</c>).</summary>
    public Response? PreviousResponse { get; internal set; }

    /// <summary>
    /// Delivers the body to <paramref name="protocol"/> (Twisted's <c>deliverBody</c>): its
    /// <c>DataReceived</c> gets each piece, then <c>ConnectionLost</c> with <see cref="ResponseDone"/>
    /// on success, <see cref="PotentialDataLoss"/> for a body that ended with the connection, or
    /// another failure. Pausing the protocol's transport pauses the connection. Call once.
    /// </summary>
    public void DeliverBody(IProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (_delivered) throw new InvalidOperationException("The body was already delivered.");
        _delivered = true;
        if (_connection is not null)
        {
            _connection.DeliverBody(protocol);
            return;
        }
        // No body (HEAD, 204, 304, Content-Length: 0): an empty one, ended at once.
        protocol.MakeConnection(new BodyTransport(EmptyBody.Instance));
        protocol.ConnectionLost(new Failure(new ResponseDone()));
    }

    /// <summary>
    /// Reads the whole body (Twisted's <c>readBody</c>), failing with <see cref="BodyTooLarge"/>
    /// (and closing the connection) past <paramref name="maxBytes"/>.
    /// </summary>
    public Deferred<byte[]> ReadBodyAsync(long maxBytes = 16 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var result = new Deferred<byte[]>();
        if (Length > maxBytes)
        {
            _connection?.Abandon(new BodyTooLarge(maxBytes));
            result.Errback(new BodyTooLarge(maxBytes));
            return result;
        }
        DeliverBody(new BodyCollector(result, maxBytes, Length));
        return result;
    }

    /// <summary>Reads the whole body as UTF-8 text (limit as <see cref="ReadBodyAsync"/>).</summary>
    public Deferred<string> ReadTextAsync(long maxBytes = 16 * 1024 * 1024) =>
        ReadBodyAsync(maxBytes).AddCallback(bytes => System.Text.Encoding.UTF8.GetString(bytes));

    private sealed class EmptyBody : IBodySource
    {
        public static readonly EmptyBody Instance = new();

        public bool BodyStopped => true;

        public System.Net.EndPoint Peer => new System.Net.IPEndPoint(System.Net.IPAddress.None, 0);

        public System.Net.EndPoint Host => Peer;

        public void PauseBody() { }

        public void ResumeBody() { }

        public void StopBody() { }
    }

    private sealed class BodyCollector(Deferred<byte[]> result, long maxBytes, long length) : Protocol
    {
        private readonly MemoryStream _body = new(length > 0 ? (int)Math.Min(length, 1024 * 1024) : 0);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (result.Called) return;
            if (_body.Length + data.Length > maxBytes)
            {
                result.Errback(new BodyTooLarge(maxBytes));
                Transport.LoseConnection();
                return;
            }
            _body.Write(data);
        }

        public override void ConnectionLost(Failure reason)
        {
            if (result.Called) return;
            if (reason.Value is ResponseDone or PotentialDataLoss) result.Callback(_body.ToArray());
            else result.Errback(reason);
        }
    }
}
