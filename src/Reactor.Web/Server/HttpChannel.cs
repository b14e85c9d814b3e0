using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Time;
using Reactor.Web.Http;

namespace Reactor.Web.Server;

/// <summary>
/// One HTTP/1.x server connection (Twisted's <c>HTTPChannel</c>): parses requests straight from
/// the bytes the transport delivers, routes them through its <see cref="Site"/>, and writes the
/// responses in order.
/// </summary>
/// <remarks>
/// <para>One request is handled at a time, as in Twisted: while a response is unfinished, bytes of
/// pipelined requests after it are kept (at most one read) and the transport is paused. Requests
/// answered synchronously are parsed one after the other from the same read, and all their
/// responses go out in one write at the end of the read.</para>
/// <para>Bodies: <c>Content-Length</c> or chunked; read whole into <see cref="Request.Content"/> before
/// rendering (default) or streamed to the resource (<see cref="Resource.StreamRequestBody"/>), in
/// both cases bounded by <see cref="HttpServerOptions.MaxBodyBytes"/>.</para>
/// <para>Errors (limits, malformed input, timeouts) get their status with <c>Connection: close</c>,
/// then FIN, then whatever the client still sends is read and dropped until its FIN or the linger
/// timeout: closing at once with unread input would make the kernel reset the connection and could
/// destroy the response before the client reads it.</para>
/// </remarks>
public sealed class HttpChannel : Protocol, IHalfCloseableProtocol, IPushProducer, IBodySource
{
    private const int EarlyFlushBytes = 64 * 1024;

    private enum ReadState { Head, Body, Waiting, Closing }

    private enum BodyMode { None, Undecided, Buffer, Stream, Discard }

    private enum DeadlineKind { None, KeepAlive, Headers, Body }

    private readonly HttpServerOptions _options;
    private readonly MessageHeadReader _head;
    private readonly Request _request;
    private readonly ChunkedDecoder _chunks;
    private readonly Action _onDeadline;
    private readonly TimeSpan _tick;
    private ReadState _read = ReadState.Head;
    private BodyMode _bodyMode;
    private bool _bodyChunked;
    private long _bodyRemaining;
    private long _bodyReceived;
    private bool _bodyComplete;
    private bool _expectContinue;
    private bool _continueSent;
    private bool _requestActive;
    private Resource? _resource;
    private IProtocol? _bodyProtocol;
    private BodyTransport? _bodyTransport;
    private int _dispatchDepth;
    private bool _processing;
    private byte[] _pending = [];
    private int _pendingLength;
    private byte[] _draining = [];
    private bool _pausedByOutput;
    private bool _pausedByBody;
    private bool _readingPaused;
    private bool _producerOnTransport;
    private bool _peerFinished;
    private IDelayedCall? _timer;
    private TimeSpan _deadline;
    private DeadlineKind _deadlineKind;
    private IDelayedCall? _linger;

    /// <summary>Creates the channel of one connection of <paramref name="site"/>.</summary>
    public HttpChannel(Site site)
    {
        Site = site ?? throw new ArgumentNullException(nameof(site));
        _options = site.Options;
        _head = new MessageHeadReader(_options.MaxRequestLineBytes, _options.MaxHeaderBytes, _options.MaxHeaderCount, HttpStatus.UriTooLong, _options.AllowBareLineFeed);
        _request = new Request(this, _head.Block);
        _chunks = new ChunkedDecoder(_options.MaxHeaderBytes);
        _onDeadline = OnDeadline;
        _tick = TimeSpan.FromTicks(Math.Min(_options.HeadersTimeout.Ticks, Math.Min(_options.BodyTimeout.Ticks, _options.KeepAliveTimeout.Ticks)));
    }

    /// <summary>The site this connection serves.</summary>
    public Site Site { get; }

    /// <summary>Requests whose response was finished on this connection.</summary>
    public long RequestsAnswered { get; private set; }

    internal OutputBatch Output { get; } = new();

    internal bool Dispatching => _dispatchDepth > 0;

    /// <summary>Set when this connection must close after the current response whatever the request asked.</summary>
    internal bool MustClose { get; private set; }

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        // Responses are often the last bytes for a while: do not let Nagle hold them.
        if (Transport is ITcpTransport tcp) tcp.SetTcpNoDelay(true);
        Transport.RegisterProducer(this, streaming: true);
        _producerOnTransport = true;
        SetDeadline(DeadlineKind.KeepAlive, _options.KeepAliveTimeout);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _dispatchDepth++;
        try
        {
            Process(data);
        }
        finally
        {
            _dispatchDepth--;
        }
        if (_dispatchDepth == 0) EndOfDispatch();
    }

    private void EndOfDispatch()
    {
        if (_requestActive) _request.FlushHeldAtEndOfDispatch();
        Flush();
    }

    private void Process(ReadOnlySpan<byte> data)
    {
        if (_processing)
        {
            Stash(data);
            return;
        }
        _processing = true;
        try
        {
            while (!data.IsEmpty)
            {
                switch (_read)
                {
                    case ReadState.Closing:
                        return;
                    case ReadState.Waiting:
                        Stash(data);
                        return;
                    case ReadState.Head:
                        if (_deadlineKind != DeadlineKind.Headers) SetDeadline(DeadlineKind.Headers, _options.HeadersTimeout);
                        var status = _head.Feed(data, out var consumed);
                        data = data[consumed..];
                        if (status == HeadStatus.Error)
                        {
                            Fail(_head.ErrorStatus);
                            return;
                        }
                        if (status == HeadStatus.Complete) HeadComplete();
                        break;
                    case ReadState.Body:
                        data = FeedBody(data);
                        break;
                }
            }
        }
        finally
        {
            _processing = false;
        }
    }

    private void HeadComplete()
    {
        if (!_request.Begin(_head.StartLineLength, out var error))
        {
            Fail(error);
            return;
        }
        long contentLength = -1;
        bool chunked = false, host = false, close = false, keepAlive = false, expect = false;
        var block = _head.Block;
        for (var i = 0; i < block.Count; i++)
        {
            var name = block.NameAt(i);
            var value = block.ValueAt(i);
            switch (name.Length)
            {
                case 4 when HttpSyntax.EqualsIgnoreCase(name, "host"u8):
                    if (host)
                    {
                        Fail(HttpStatus.BadRequest);
                        return;
                    }
                    host = true;
                    break;
                case 6 when HttpSyntax.EqualsIgnoreCase(name, "expect"u8):
                    if (!HttpSyntax.EqualsIgnoreCase(value, "100-continue"u8))
                    {
                        Fail(HttpStatus.ExpectationFailed);
                        return;
                    }
                    expect = true;
                    break;
                case 10 when HttpSyntax.EqualsIgnoreCase(name, "connection"u8):
                    close |= HttpSyntax.ListContains(value, "close"u8);
                    keepAlive |= HttpSyntax.ListContains(value, "keep-alive"u8);
                    break;
                case 14 when HttpSyntax.EqualsIgnoreCase(name, "content-length"u8):
                    // Two different lengths would let two parties frame the message differently (RFC 9112 §6.3).
                    if (!HttpSyntax.TryParseContentLength(value, out var length) || (contentLength >= 0 && length != contentLength))
                    {
                        Fail(HttpStatus.BadRequest);
                        return;
                    }
                    contentLength = length;
                    break;
                case 17 when HttpSyntax.EqualsIgnoreCase(name, "transfer-encoding"u8):
                    // Chunked must be the last coding, applied once; other codings are not implemented.
                    if (chunked || !HttpSyntax.EqualsIgnoreCase(HttpSyntax.LastListItem(value), "chunked"u8))
                    {
                        Fail(chunked || HttpSyntax.ListContains(value, "chunked"u8) ? HttpStatus.BadRequest : HttpStatus.NotImplemented);
                        return;
                    }
                    if (value.IndexOf((byte)',') >= 0)
                    {
                        Fail(HttpStatus.NotImplemented);
                        return;
                    }
                    chunked = true;
                    break;
            }
        }
        // RFC 9112 §3.2: an HTTP/1.1 request without Host gets 400. §6.3: both framings is a smuggling attempt.
        if (!_request.IsHttp10 && !host && _options.RequireHost || chunked && contentLength >= 0 || chunked && _request.IsHttp10)
        {
            Fail(HttpStatus.BadRequest);
            return;
        }
        if (contentLength > _options.MaxBodyBytes)
        {
            Fail(HttpStatus.ContentTooLarge);
            return;
        }
        _request.KeepAliveRequested = !close && (!_request.IsHttp10 || keepAlive);
        var hasBody = chunked || contentLength > 0;
        _bodyChunked = chunked;
        if (chunked) _chunks.Reset();
        _bodyRemaining = chunked ? -1 : Math.Max(0, contentLength);
        _bodyReceived = 0;
        _bodyComplete = !hasBody;
        _expectContinue = expect && hasBody && !_request.IsHttp10;
        _continueSent = false;
        _requestActive = true;
        _read = hasBody ? ReadState.Body : ReadState.Waiting;
        SetDeadline(hasBody ? DeadlineKind.Body : DeadlineKind.None, _options.BodyTimeout);
        Resource resource;
        try
        {
            resource = Site.GetResourceFor(_request);
        }
        catch (Exception ex)
        {
            _request.ProcessingFailed(ex);
            return;
        }
        if (hasBody && !resource.StreamRequestBody)
        {
            _bodyMode = BodyMode.Buffer;
            _resource = resource;
            SendContinueIfExpected();
            return;
        }
        _bodyMode = hasBody ? BodyMode.Undecided : BodyMode.None;
        Site.Render(resource, _request);
    }

    private ReadOnlySpan<byte> FeedBody(ReadOnlySpan<byte> data)
    {
        if (_bodyMode == BodyMode.Undecided || _pausedByBody)
        {
            Stash(data);
            return default;
        }
        if (_deadlineKind == DeadlineKind.Body) _deadline = Site.Time.Now + _options.BodyTimeout;
        while (!data.IsEmpty && _read == ReadState.Body)
        {
            ReadOnlySpan<byte> piece;
            if (_bodyChunked)
            {
                var result = _chunks.Decode(data, out var used, out var dataLength);
                piece = data.Slice(used - dataLength, dataLength);
                data = data[used..];
                if (result == ChunkResult.Error)
                {
                    Fail(HttpStatus.BadRequest);
                    return default;
                }
                if (result == ChunkResult.Done)
                {
                    BodyDone();
                    return data;
                }
                if (result == ChunkResult.NeedMore) return default;
            }
            else
            {
                var take = (int)Math.Min(_bodyRemaining, data.Length);
                piece = data[..take];
                data = data[take..];
                _bodyRemaining -= take;
            }
            if (!DeliverPiece(piece)) return default;
            if (!_bodyChunked && _bodyRemaining == 0)
            {
                BodyDone();
                return data;
            }
            if (_pausedByBody || _bodyMode == BodyMode.Undecided)
            {
                Stash(data);
                return default;
            }
        }
        return data;
    }

    private bool DeliverPiece(ReadOnlySpan<byte> piece)
    {
        _bodyReceived += piece.Length;
        if (_bodyReceived > _options.MaxBodyBytes)
        {
            Fail(HttpStatus.ContentTooLarge);
            return false;
        }
        switch (_bodyMode)
        {
            case BodyMode.Buffer:
                _request.AppendBody(piece);
                break;
            case BodyMode.Stream:
                try
                {
                    _bodyProtocol!.DataReceived(piece);
                }
                catch (Exception ex)
                {
                    _bodyMode = BodyMode.Discard;
                    _request.ProcessingFailed(ex);
                }
                break;
        }
        return _read != ReadState.Closing;
    }

    private void BodyDone()
    {
        _bodyComplete = true;
        _read = ReadState.Waiting;
        SetDeadline(DeadlineKind.None, default);
        switch (_bodyMode)
        {
            case BodyMode.Buffer:
                var resource = _resource!;
                _resource = null;
                Site.Render(resource, _request);
                return;
            case BodyMode.Stream:
                EndBodyProtocol(new ResponseDone("The request body was received completely."));
                break;
        }
        if (!_requestActive) StartNextRequest();
    }

    private void EndBodyProtocol(Exception reason)
    {
        var protocol = _bodyProtocol;
        _bodyProtocol = null;
        if (protocol is null) return;
        try
        {
            protocol.ConnectionLost(new Failure(reason));
        }
        catch (Exception ex)
        {
            Site.LogHandlerFailure(ex, _request);
        }
    }

    internal void DeliverBody(IProtocol protocol)
    {
        if (_bodyMode != BodyMode.Undecided && (_bodyMode != BodyMode.None || _bodyProtocol is not null))
        {
            throw new InvalidOperationException(_bodyMode == BodyMode.Buffer
                ? "The body is read whole for this resource (Request.Content); set Resource.StreamRequestBody to stream it."
                : "The request body was already delivered.");
        }
        _bodyTransport ??= new BodyTransport(this);
        if (_bodyMode == BodyMode.None)
        {
            // No body: the protocol sees an empty one.
            _bodyMode = BodyMode.Discard;
            protocol.MakeConnection(_bodyTransport);
            protocol.ConnectionLost(new Failure(new ResponseDone("The request has no body.")));
            return;
        }
        _bodyMode = BodyMode.Stream;
        _bodyProtocol = protocol;
        protocol.MakeConnection(_bodyTransport);
        SendContinueIfExpected();
        Kick();
    }

    internal void PauseBody()
    {
        _pausedByBody = true;
        UpdateReading();
    }

    internal void ResumeBody()
    {
        if (!_pausedByBody) return;
        _pausedByBody = false;
        Kick();
    }

    bool IBodySource.BodyStopped => _bodyProtocol is null;

    EndPoint IBodySource.Peer => Transport.GetPeer();

    EndPoint IBodySource.Host => Transport.GetHost();

    void IBodySource.PauseBody() => PauseBody();

    void IBodySource.ResumeBody() => ResumeBody();

    void IBodySource.StopBody()
    {
        if (_bodyMode != BodyMode.Stream) return;
        _bodyMode = BodyMode.Discard;
        _bodyProtocol = null;
        _pausedByBody = false;
        Kick();
    }

    private void SendContinueIfExpected()
    {
        if (!_expectContinue || _continueSent) return;
        _continueSent = true;
        Output.Append("HTTP/1.1 100 Continue\r\n\r\n"u8);
        EndEmit();
    }

    /// <summary>Called by <see cref="Request.Finish"/> once the response's last bytes are in <see cref="Output"/>.</summary>
    internal void ResponseFinished(bool keepAlive)
    {
        RequestsAnswered++;
        _requestActive = false;
        EndEmit();
        if (_read == ReadState.Closing) return;
        if (!keepAlive || _peerFinished || MustClose)
        {
            CloseAfterResponse();
            return;
        }
        if (!_bodyComplete)
        {
            // The client was told to wait for 100 Continue and was not: it may never send the body.
            if (_expectContinue && !_continueSent)
            {
                CloseAfterResponse();
                return;
            }
            if (_bodyMode == BodyMode.Stream) EndBodyProtocol(new ResponseFailed("The response was finished before the request body was read."));
            _bodyMode = BodyMode.Discard;
            Kick();
            return;
        }
        StartNextRequest();
    }

    private void StartNextRequest()
    {
        _head.Reset();
        _read = ReadState.Head;
        _bodyMode = BodyMode.None;
        _bodyProtocol = null;
        _pausedByBody = false;
        SetDeadline(DeadlineKind.KeepAlive, _options.KeepAliveTimeout);
        Kick();
    }

    /// <summary>Processes kept bytes (if the state allows now) and re-evaluates whether to read.</summary>
    private void Kick()
    {
        if (_processing || _pendingLength == 0 || _read == ReadState.Closing)
        {
            if (_read == ReadState.Closing) _pendingLength = 0;
            UpdateReading();
            return;
        }
        if (_read == ReadState.Waiting || _read == ReadState.Body && (_bodyMode == BodyMode.Undecided || _pausedByBody))
        {
            UpdateReading();
            return;
        }
        (_pending, _draining) = (_draining, _pending);
        var count = _pendingLength;
        _pendingLength = 0;
        _dispatchDepth++;
        try
        {
            Process(_draining.AsSpan(0, count));
        }
        finally
        {
            _dispatchDepth--;
        }
        UpdateReading();
        if (_dispatchDepth == 0) EndOfDispatch();
    }

    private void Stash(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_pendingLength + data.Length > _pending.Length) Array.Resize(ref _pending, Math.Max(_pendingLength + data.Length, Math.Max(4096, _pending.Length * 2)));
        data.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += data.Length;
        UpdateReading();
    }

    private void UpdateReading()
    {
        var pause = _read == ReadState.Closing ? _pausedByOutput : _pausedByOutput || _pausedByBody || _pendingLength > 0;
        if (pause == _readingPaused || TransportOrNull is null) return;
        _readingPaused = pause;
        if (pause) Transport.PauseProducing();
        else Transport.ResumeProducing();
    }

    /// <summary>Writes <see cref="Output"/> now unless a dispatch will write it at its end.</summary>
    internal void EndEmit()
    {
        if (_dispatchDepth == 0 || Output.Length >= EarlyFlushBytes) Flush();
    }

    private void Flush()
    {
        if (Output.Length == 0) return;
        if (TransportOrNull is { } transport && Connected) transport.Write(Output.Written);
        Output.Clear();
    }

    internal void RegisterResponseProducer(IProducer producer, bool streaming)
    {
        Flush();
        if (_producerOnTransport) Transport.UnregisterProducer();
        _producerOnTransport = false;
        _pausedByOutput = false;
        UpdateReading();
        Transport.RegisterProducer(producer, streaming);
    }

    internal void UnregisterResponseProducer()
    {
        Flush();
        if (!Connected) return;
        Transport.UnregisterProducer();
        Transport.RegisterProducer(this, streaming: true);
        _producerOnTransport = true;
    }

    /// <summary>The transport's output passed its high-water mark: stop reading requests.</summary>
    public void PauseProducing()
    {
        _pausedByOutput = true;
        UpdateReading();
    }

    /// <summary>The transport's output drained: read requests again.</summary>
    public void ResumeProducing()
    {
        _pausedByOutput = false;
        Kick();
    }

    /// <inheritdoc/>
    public void StopProducing() { }

    /// <summary>An error before or during a request: answer <paramref name="status"/> and close.</summary>
    private void Fail(int status)
    {
        if (_read == ReadState.Closing) return;
        if (_requestActive)
        {
            if (_request.StartedWriting)
            {
                AbortAfterFailure();
                return;
            }
            _requestActive = false;
            _request.ConnectionLost(new Failure(new ConnectionLost($"The request failed with status {status}.")));
        }
        EndBodyProtocol(new ResponseFailed($"The request body failed with status {status}."));
        var detail = HttpStatus.ReasonPhrase(status);
        var statusLine = HttpStatus.StatusLine(status)!;
        Output.Append(statusLine);
        if (Site.ServerHeader is { } server) Output.Append(server);
        Output.Append("Date: "u8);
        Output.Append(Site.Date.Current);
        Output.Append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "u8);
        Output.AppendNumber(detail.Length + 1);
        Output.Append("\r\nConnection: close\r\n\r\n"u8);
        Output.AppendLatin1(detail);
        Output.Append("\n"u8);
        CloseAfterResponse();
    }

    /// <summary>A handler failed after its head was sent: nothing valid can follow, so the connection is aborted.</summary>
    internal void AbortAfterFailure()
    {
        _requestActive = false;
        _read = ReadState.Closing;
        Flush();
        CancelTimers();
        if (Transport is IStreamTransport stream) stream.AbortConnection();
        else Transport.LoseConnection();
    }

    /// <summary>The last response is in <see cref="Output"/>: send it, then FIN, and drop whatever else arrives.</summary>
    private void CloseAfterResponse()
    {
        _read = ReadState.Closing;
        _pendingLength = 0;
        Flush();
        SetDeadline(DeadlineKind.None, default);
        UpdateReading();
        if (_peerFinished || Transport is not IStreamTransport stream)
        {
            Transport.LoseConnection();
            return;
        }
        stream.LoseWriteConnection();
        _linger = Site.Time.CallLater(_options.LingerTimeout, () =>
        {
            _linger = null;
            Transport.LoseConnection();
        });
    }

    /// <summary>The client sent FIN: nothing more will come.</summary>
    public void ReadConnectionLost()
    {
        _peerFinished = true;
        if (_read == ReadState.Closing)
        {
            Transport.LoseConnection();
            return;
        }
        if (_requestActive && _bodyComplete) return; // answer, then close (ResponseFinished sees _peerFinished)
        if (_requestActive)
        {
            // The body was cut short.
            EndBodyProtocol(new ResponseFailed("The client closed before sending the whole request body."));
            _requestActive = false;
            _request.ConnectionLost(new Failure(new ConnectionLost("The client closed before sending the whole request.")));
        }
        _read = ReadState.Closing;
        Flush();
        Transport.LoseConnection();
    }

    /// <inheritdoc/>
    public void WriteConnectionLost() { }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        CancelTimers();
        _read = ReadState.Closing;
        EndBodyProtocol(reason.Value);
        if (_requestActive)
        {
            _requestActive = false;
            _request.ConnectionLost(reason);
        }
    }

    private void CancelTimers()
    {
        if (_linger is { Active: true }) _linger.Cancel();
        _linger = null;
        if (_timer is { Active: true }) _timer.Cancel();
        _timer = null;
        _deadlineKind = DeadlineKind.None;
    }

    /// <summary>
    /// Moves the connection's one deadline. The timer is never moved: it fires at most every
    /// shortest timeout (so never after any deadline set since it was armed) and re-arms itself
    /// for what remains, so a deadline moved on every request costs no timer operation.
    /// </summary>
    private void SetDeadline(DeadlineKind kind, TimeSpan timeout)
    {
        _deadlineKind = kind;
        if (kind == DeadlineKind.None) return;
        _deadline = Site.Time.Now + timeout;
        if (_timer is null || !_timer.Active) _timer = Site.Time.CallLater(_tick, _onDeadline);
    }

    private void OnDeadline()
    {
        _timer = null;
        if (_deadlineKind == DeadlineKind.None || !Connected) return;
        var now = Site.Time.Now;
        if (now < _deadline)
        {
            _timer = Site.Time.CallLater(_deadline - now < _tick ? _deadline - now : _tick, _onDeadline);
            return;
        }
        switch (_deadlineKind)
        {
            case DeadlineKind.KeepAlive:
                _deadlineKind = DeadlineKind.None;
                _read = ReadState.Closing;
                Transport.LoseConnection();
                break;
            case DeadlineKind.Headers:
            case DeadlineKind.Body:
                _deadlineKind = DeadlineKind.None;
                Fail(HttpStatus.RequestTimeout);
                break;
        }
    }
}
