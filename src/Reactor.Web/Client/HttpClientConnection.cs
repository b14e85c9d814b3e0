using System.Globalization;
using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Time;
using Reactor.Web.Http;

namespace Reactor.Web.Client;

/// <summary>
/// One client connection (Twisted's <c>HTTP11ClientProtocol</c>): sends one request at a time,
/// parses the response head from the bytes the transport delivers, and streams the body (by
/// <c>Content-Length</c>, chunked, or until close) to the protocol given to
/// <see cref="Response.DeliverBody"/>. Goes back to its pool when a kept-alive body ends.
/// </summary>
internal sealed class HttpClientConnection : Protocol, IBodySource
{
    private enum State { Idle, AwaitingHead, Body, Closed }

    private enum Framing { None, Length, Chunked, UntilClose }

    private readonly ConnectionPool _pool;
    private readonly AgentOptions _options;
    private readonly IReactorTime _time;
    private readonly MessageHeadReader _head;
    private readonly ChunkedDecoder _chunks;
    private State _state;
    private Framing _framing;
    private long _remaining;
    private bool _keepAlive;
    private string _method = "";
    private Uri _uri = null!;
    private Deferred<Response>? _pending;
    private IProtocol? _bodyProtocol;
    private BodyTransport? _bodyTransport;
    private bool _bodyRequested;
    private byte[] _stash = [];
    private int _stashLength;
    private bool _pausedByBody;
    private bool _readingPaused;
    private bool _receivedAny;
    private IDelayedCall? _timer;

    public HttpClientConnection(ConnectionPool pool, PoolKey key, AgentOptions options, IReactorTime time)
    {
        _pool = pool;
        Key = key;
        _options = options;
        _time = time;
        _head = new MessageHeadReader(8 * 1024, options.MaxResponseHeadBytes, 1000, HttpStatus.BadRequest);
        _chunks = new ChunkedDecoder(options.MaxResponseHeadBytes);
    }

    public PoolKey Key { get; }

    /// <summary>True once this connection has carried a request (so a failure before any byte may be a stale keep-alive).</summary>
    public bool Reused { get; private set; }

    public bool IsIdle => _state == State.Idle && Connected;

    public IDelayedCall? IdleTimer { get; set; }

    /// <summary>Set when a failure happened before any response byte on a reused connection: the request may be retried.</summary>
    public bool FailedBeforeResponse { get; private set; }

    public override void ConnectionMade()
    {
        if (Transport is ITcpTransport tcp) tcp.SetTcpNoDelay(true);
    }

    public void Send(string method, Uri uri, Headers headers, ReadOnlyMemory<byte>? body, Deferred<Response> result)
    {
        if (_state != State.Idle) throw new InvalidOperationException("The connection is busy.");
        _state = State.AwaitingHead;
        _method = method;
        _uri = uri;
        _pending = result;
        _receivedAny = false;
        _bodyProtocol = null;
        _bodyRequested = false;
        _pausedByBody = false;
        _lost = null;
        _stashLength = 0;
        _head.Reset();
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(uri.PathAndQuery.Length == 0 ? "/" : uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        if (!headers.Contains("Host"))
        {
            text.Append("Host: ").Append(uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        if (_options.UserAgent is { } agent && !headers.Contains("User-Agent")) text.Append("User-Agent: ").Append(agent).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            if (string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        if (body is { } content) text.Append("Content-Length: ").Append(content.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        else if (method is "POST" or "PUT" or "PATCH") text.Append("Content-Length: 0\r\n");
        text.Append("\r\n");
        Transport.Write(Encoding.Latin1.GetBytes(text.ToString()));
        if (body is { Length: > 0 } bytes) Transport.Write(bytes.Span);
        SetTimer(_options.ResponseTimeout);
        Reused = true;
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (!data.IsEmpty) _receivedAny = true;
        Process(data);
    }

    /// <summary>Runs bytes through the state machine: the head, the body, or bytes nobody asked for.</summary>
    private void Process(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.Idle:
                    // Bytes nobody asked for: the connection cannot be trusted any more.
                    Transport.LoseConnection();
                    _state = State.Closed;
                    return;
                case State.Closed:
                    return;
                case State.AwaitingHead:
                    var status = _head.Feed(data, out var consumed);
                    data = data[consumed..];
                    if (status == HeadStatus.Error)
                    {
                        Fail(new HttpProtocolError($"Malformed response head: {_head.ErrorReason}."));
                        return;
                    }
                    if (status == HeadStatus.Complete) HeadComplete();
                    break;
                case State.Body:
                    if (_bodyProtocol is null || _pausedByBody)
                    {
                        Stash(data);
                        return;
                    }
                    data = FeedBody(data);
                    break;
            }
        }
    }

    private void HeadComplete()
    {
        var line = _head.StartLine;
        // HTTP-version SP status-code SP [reason-phrase]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !HttpSyntax.IsDigit(line[7]) || line[8] != ' '
            || !HttpSyntax.IsDigit(line[9]) || !HttpSyntax.IsDigit(line[10]) || !HttpSyntax.IsDigit(line[11])
            || line.Length > 12 && line[12] != ' ')
        {
            Fail(new HttpProtocolError("Malformed status line."));
            return;
        }
        var http10 = line[7] == '0';
        var code = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        var phrase = line.Length > 13 ? Encoding.Latin1.GetString(line[13..]) : "";
        if (code is >= 100 and < 200 && code != 101)
        {
            // Interim response (100 Continue, 103 Early Hints): the real one follows.
            _head.Reset();
            return;
        }
        var headers = new Headers();
        long length = -1;
        bool chunked = false, close = false, keepAlive = false;
        var block = _head.Block;
        for (var i = 0; i < block.Count; i++)
        {
            var name = block.NameAt(i);
            var value = block.ValueAt(i);
            headers.Add(Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value));
            if (HttpSyntax.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!HttpSyntax.TryParseContentLength(value, out var parsed) || length >= 0 && parsed != length)
                {
                    Fail(new HttpProtocolError("Invalid or conflicting Content-Length."));
                    return;
                }
                length = parsed;
            }
            else if (HttpSyntax.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                if (!HttpSyntax.EqualsIgnoreCase(HttpSyntax.LastListItem(value), "chunked"u8))
                {
                    Fail(new HttpProtocolError("Unsupported Transfer-Encoding."));
                    return;
                }
                chunked = true;
            }
            else if (HttpSyntax.EqualsIgnoreCase(name, "connection"u8))
            {
                close |= HttpSyntax.ListContains(value, "close"u8);
                keepAlive |= HttpSyntax.ListContains(value, "keep-alive"u8);
            }
        }
        var noBody = _method == "HEAD" || code is 204 or 304 || code == 101;
        if (noBody) _framing = Framing.None;
        else if (chunked)
        {
            // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, and the connection must close after.
            if (length >= 0) close = true;
            _framing = Framing.Chunked;
            _chunks.Reset();
            length = -1;
        }
        else if (length >= 0) _framing = length == 0 ? Framing.None : Framing.Length;
        else _framing = Framing.UntilClose;
        _remaining = length;
        _keepAlive = !close && (!http10 || keepAlive) && _framing != Framing.UntilClose;
        _state = State.Body;
        CancelTimer();
        var hasBody = _framing != Framing.None;
        var response = new Response(hasBody ? this : null, _method, _uri, code, phrase, http10, headers, hasBody ? length : 0);
        var pending = _pending!;
        _pending = null;
        if (!hasBody)
        {
            // Nothing more to read: reusable at once (the Response answers DeliverBody with an empty body itself).
            _state = _keepAlive ? State.Idle : State.Closed;
            if (_keepAlive) _pool.Release(this);
            else Transport.LoseConnection();
        }
        else PauseReading(); // The body is not read until someone asks for it.
        pending.Callback(response);
    }

    public void DeliverBody(IProtocol protocol)
    {
        if (_bodyRequested) throw new InvalidOperationException("The body was already delivered.");
        _bodyRequested = true;
        _bodyTransport ??= new BodyTransport(this);
        _bodyProtocol = protocol;
        protocol.MakeConnection(_bodyTransport);
        if (_lost is not null)
        {
            // The connection ended before anyone asked for the body: deliver what arrived, then the end.
            DeliverAfterLoss();
            return;
        }
        SetTimer(_options.BodyIdleTimeout);
        DrainStash();
        if (_state == State.Body && !_pausedByBody) ResumeReading();
    }

    /// <summary>The caller gave up on the body (too large): the connection cannot be reused.</summary>
    public void Abandon(Exception reason)
    {
        _bodyRequested = true;
        _keepAlive = false;
        _state = State.Closed;
        CancelTimer();
        if (Connected && TransportOrNull is IStreamTransport stream) stream.AbortConnection();
        else if (Connected) Transport.LoseConnection();
        _ = reason;
    }

    private void DrainStash()
    {
        while (_stashLength > 0 && _bodyProtocol is not null && !_pausedByBody && _state == State.Body)
        {
            var bytes = _stash.AsSpan(0, _stashLength).ToArray();
            _stashLength = 0;
            var rest = FeedBody(bytes);
            if (rest.IsEmpty) continue;
            if (_state == State.Body)
            {
                Stash(rest); // the reader paused again
                continue;
            }
            // The body ended inside the stash: what follows is read exactly as if it had just
            // arrived (the next response if the caller already sent a request, else a reason to close).
            Process(rest);
            break;
        }
    }

    private ReadOnlySpan<byte> FeedBody(ReadOnlySpan<byte> data)
    {
        if (_timer is { Active: true }) _timer.Reset(_options.BodyIdleTimeout);
        while (!data.IsEmpty && _state == State.Body && _bodyProtocol is not null && !_pausedByBody)
        {
            ReadOnlySpan<byte> piece;
            switch (_framing)
            {
                case Framing.Length:
                    var take = (int)Math.Min(_remaining, data.Length);
                    piece = data[..take];
                    data = data[take..];
                    _remaining -= take;
                    Deliver(piece);
                    if (_remaining == 0) BodyDone(new ResponseDone());
                    break;
                case Framing.Chunked:
                    var result = _chunks.Decode(data, out var used, out var dataLength);
                    piece = data.Slice(used - dataLength, dataLength);
                    data = data[used..];
                    if (result == ChunkResult.Error)
                    {
                        Fail(new HttpProtocolError("Malformed chunked body."));
                        return default;
                    }
                    if (result == ChunkResult.Data) Deliver(piece);
                    else if (result == ChunkResult.Done) BodyDone(new ResponseDone());
                    break;
                case Framing.UntilClose:
                    Deliver(data);
                    data = default;
                    break;
                default:
                    return data;
            }
        }
        return data;
    }

    private void Deliver(ReadOnlySpan<byte> piece)
    {
        if (piece.IsEmpty) return;
        try
        {
            _bodyProtocol!.DataReceived(piece);
        }
        catch (Exception ex)
        {
            // The agent's reactor logs it; an agent on a test clock falls back to the process-wide default.
            ((_time as ReactorLoop)?.Logger ?? Deferred.Logger).LogBodyProtocolFailure(ex);
            Fail(new ResponseFailed("The body protocol failed.", ex));
        }
    }

    private void BodyDone(Exception reason)
    {
        var protocol = _bodyProtocol;
        _bodyProtocol = null;
        CancelTimer();
        _state = _keepAlive ? State.Idle : State.Closed;
        if (_stashLength > 0) _keepAlive = false; // bytes past the response: not a connection to reuse
        if (_keepAlive && Connected) _pool.Release(this);
        else if (Connected) Transport.LoseConnection();
        protocol?.ConnectionLost(new Failure(reason));
        ResumeReading();
    }

    private void Stash(ReadOnlySpan<byte> data)
    {
        if (_stashLength + data.Length > _stash.Length) Array.Resize(ref _stash, Math.Max(_stashLength + data.Length, Math.Max(4096, _stash.Length * 2)));
        data.CopyTo(_stash.AsSpan(_stashLength));
        _stashLength += data.Length;
        PauseReading();
    }

    private void PauseReading()
    {
        if (_readingPaused || !Connected || Transport.Disconnecting) return;
        _readingPaused = true;
        Transport.PauseProducing();
    }

    private void ResumeReading()
    {
        if (!_readingPaused || !Connected || Transport.Disconnecting) return;
        _readingPaused = false;
        Transport.ResumeProducing();
    }

    bool IBodySource.BodyStopped => _bodyProtocol is null;

    EndPoint IBodySource.Peer => Transport.GetPeer();

    EndPoint IBodySource.Host => Transport.GetHost();

    void IBodySource.PauseBody()
    {
        _pausedByBody = true;
        PauseReading();
    }

    void IBodySource.ResumeBody()
    {
        if (!_pausedByBody) return;
        _pausedByBody = false;
        if (_lost is not null)
        {
            DeliverAfterLoss();
            return;
        }
        DrainStash();
        if (_state == State.Body && _stashLength == 0) ResumeReading();
    }

    void IBodySource.StopBody()
    {
        if (_state != State.Body) return;
        // The reader stopped: the rest of the body will not be read, so the connection is useless.
        var protocol = _bodyProtocol;
        _bodyProtocol = null;
        _keepAlive = false;
        _state = State.Closed;
        CancelTimer();
        if (Connected && TransportOrNull is IStreamTransport stream) stream.AbortConnection();
        protocol?.ConnectionLost(new Failure(new ResponseFailed("The body reader stopped reading.")));
    }

    private void Fail(Exception reason)
    {
        var state = _state;
        _state = State.Closed;
        _keepAlive = false;
        CancelTimer();
        if (Connected && TransportOrNull is IStreamTransport stream) stream.AbortConnection();
        else if (Connected) Transport.LoseConnection();
        if (state == State.AwaitingHead && _pending is { } pending)
        {
            _pending = null;
            pending.Errback(reason);
        }
        else if (state == State.Body)
        {
            var protocol = _bodyProtocol;
            _bodyProtocol = null;
            protocol?.ConnectionLost(new Failure(reason));
        }
    }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        CancelTimer();
        if (IdleTimer is { Active: true }) IdleTimer.Cancel();
        _pool.Forget(this);
        var state = _state;
        _state = State.Closed;
        if (state == State.AwaitingHead && _pending is { } pending)
        {
            _pending = null;
            FailedBeforeResponse = Reused && !_receivedAny;
            pending.Errback(new ResponseFailed("The connection was lost before the response arrived.", reason.Value));
        }
        else if (state == State.Body)
        {
            // What arrived before the end is still delivered, in order and only while the reader
            // is not paused (or once someone asks for the body); then the body ends.
            _state = State.Body;
            _lost = reason.Value;
            if (_bodyRequested) DeliverAfterLoss();
        }
    }

    /// <summary>Set while the connection is gone but stashed body bytes still wait for their reader.</summary>
    private Exception? _lost;

    private void DeliverAfterLoss()
    {
        DrainStash();
        if (_state != State.Body || _pausedByBody || _bodyProtocol is null) return;
        var lost = _lost!;
        _lost = null;
        _state = State.Closed;
        EndBodyAfterLoss(lost);
    }

    private void EndBodyAfterLoss(Exception reason)
    {
        var protocol = _bodyProtocol;
        _bodyProtocol = null;
        if (_framing == Framing.UntilClose && reason is ConnectionDone) protocol?.ConnectionLost(new Failure(new PotentialDataLoss()));
        else protocol?.ConnectionLost(new Failure(new ResponseFailed("The connection was lost during the body.", reason)));
    }

    private void SetTimer(TimeSpan delay)
    {
        CancelTimer();
        _timer = _time.CallLater(delay, OnTimeout);
    }

    private void CancelTimer()
    {
        if (_timer is { Active: true }) _timer.Cancel();
        _timer = null;
    }

    private void OnTimeout()
    {
        _timer = null;
        var what = _state == State.AwaitingHead ? "response head" : "response body";
        Fail(new TimeoutException($"No {what} within the timeout."));
    }
}

internal static class ClientLog
{
    public static void LogBodyProtocolFailure(this Microsoft.Extensions.Logging.ILogger logger, Exception error) =>
        WebLog.ResponseBodyProtocolFailed(logger, error);
}
