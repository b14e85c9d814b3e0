using System.Buffers.Text;
using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Web.Http;

namespace Reactor.Web.Server;

public sealed partial class Request
{
    // Body written before the head is sent, while the handler may still finish in the same turn:
    // held so that a response written and finished at once gets a Content-Length, not chunks.
    private const int MaxHeldBytes = 16 * 1024;

    private int _code = HttpStatus.Ok;
    private string? _reason;
    private byte[] _headers = new byte[256];
    private int _headersLength;
    private HeaderEntry[] _entries = new HeaderEntry[8];
    private int _entryCount;
    private bool _userDate;
    private bool _userServer;
    private bool _responseWantsClose;
    private long _declaredLength;
    private long _bodySent;
    private bool _chunked;
    private byte[] _held = new byte[256];
    private int _heldLength;
    private bool _flushScheduled;
    private List<Deferred<object?>>? _finishWaiters;
    private IProducer? _producer;

    private struct HeaderEntry
    {
        public int Start, NameLength, End;
    }

    /// <summary>The response status code (200 unless set).</summary>
    public int Code => _code;

    /// <summary>True once the response head has been sent (Twisted's <c>startedWriting</c>); headers can no longer change.</summary>
    public bool StartedWriting { get; private set; }

    /// <summary>True once <see cref="Finish"/> has been called (Twisted's <c>finished</c>).</summary>
    public bool Finished { get; private set; }

    /// <summary>True once the connection this request came on was lost before the response was finished.</summary>
    public bool ConnectionLostBeforeFinish { get; private set; }

    /// <summary>Sets the response status (Twisted's <c>setResponseCode</c>); <paramref name="message"/> defaults to RFC 9110's reason phrase.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not 100–999.</exception>
    /// <exception cref="InvalidOperationException">The response head was already sent.</exception>
    public void SetResponseCode(int code, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 999);
        if (message is not null && (message.Contains('\r') || message.Contains('\n'))) throw new ArgumentException("A reason phrase cannot contain CR or LF.", nameof(message));
        ThrowIfStarted();
        _code = code;
        _reason = message;
    }

    /// <summary>Sets response header <paramref name="name"/>, replacing any value it had (Twisted's <c>setHeader</c>).</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value holds CR, LF or another control byte.</exception>
    /// <exception cref="InvalidOperationException">The response head was already sent.</exception>
    public void SetHeader(string name, string value)
    {
        Span<byte> nameBytes = stackalloc byte[Encoding.Latin1.GetMaxByteCount(name.Length)];
        var valueBytes = value.Length <= 1024 ? stackalloc byte[value.Length] : new byte[value.Length];
        Encoding.Latin1.GetBytes(name, nameBytes);
        Encoding.Latin1.GetBytes(value, valueBytes);
        SetHeader(nameBytes[..name.Length], valueBytes);
    }

    /// <summary>Sets response header <paramref name="name"/> from bytes, replacing any value it had; allocates nothing.</summary>
    public void SetHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        RemoveHeader(name);
        AddHeader(name, value);
    }

    /// <summary>Adds one more response header <paramref name="name"/> (for fields that may repeat, such as <c>Set-Cookie</c>).</summary>
    public void AddHeader(string name, string value)
    {
        AddHeader(Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value));
    }

    /// <summary>Adds one more response header from bytes.</summary>
    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        ThrowIfStarted();
        if (!HttpSyntax.IsToken(name)) throw new ArgumentException($"'{Encoding.Latin1.GetString(name)}' is not a valid header name.", nameof(name));
        if (!HttpSyntax.IsFieldValue(value)) throw new ArgumentException("A header value cannot contain CR, LF or other control bytes.", nameof(value));
        if (HttpSyntax.EqualsIgnoreCase(name, "content-length"u8))
        {
            if (!HttpSyntax.TryParseContentLength(value, out var length)) throw new ArgumentException("Content-Length must be a non-negative integer.", nameof(value));
            _declaredLength = length;
            return;
        }
        if (HttpSyntax.EqualsIgnoreCase(name, "transfer-encoding"u8)) return; // framing is the server's
        if (HttpSyntax.EqualsIgnoreCase(name, "connection"u8))
        {
            _responseWantsClose |= HttpSyntax.ListContains(value, "close"u8);
            return;
        }
        _userDate |= HttpSyntax.EqualsIgnoreCase(name, "date"u8);
        _userServer |= HttpSyntax.EqualsIgnoreCase(name, "server"u8);
        var needed = _headersLength + name.Length + value.Length + 4;
        if (needed > _headers.Length) Array.Resize(ref _headers, Math.Max(needed, _headers.Length * 2));
        var start = _headersLength;
        name.CopyTo(_headers.AsSpan(_headersLength));
        _headersLength += name.Length;
        ": "u8.CopyTo(_headers.AsSpan(_headersLength));
        _headersLength += 2;
        value.CopyTo(_headers.AsSpan(_headersLength));
        _headersLength += value.Length;
        "\r\n"u8.CopyTo(_headers.AsSpan(_headersLength));
        _headersLength += 2;
        if (_entryCount == _entries.Length) Array.Resize(ref _entries, _entryCount * 2);
        _entries[_entryCount++] = new HeaderEntry { Start = start, NameLength = name.Length, End = _headersLength };
    }

    /// <summary>The value of response header <paramref name="name"/> set so far, or null.</summary>
    public string? GetResponseHeader(string name)
    {
        if (string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase)) return _declaredLength >= 0 ? _declaredLength.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        for (var i = 0; i < _entryCount; i++)
        {
            var entry = _entries[i];
            if (entry.NameLength < 0) continue;
            var entryName = Encoding.Latin1.GetString(_headers, entry.Start, entry.NameLength);
            if (string.Equals(entryName, name, StringComparison.OrdinalIgnoreCase))
            {
                return Encoding.Latin1.GetString(_headers, entry.Start + entry.NameLength + 2, entry.End - entry.Start - entry.NameLength - 4);
            }
        }
        return null;
    }

    /// <summary>Removes every value of response header <paramref name="name"/>.</summary>
    public void RemoveHeader(ReadOnlySpan<byte> name)
    {
        ThrowIfStarted();
        if (HttpSyntax.EqualsIgnoreCase(name, "content-length"u8)) _declaredLength = -1;
        for (var i = 0; i < _entryCount; i++)
        {
            ref var entry = ref _entries[i];
            if (entry.NameLength >= 0 && HttpSyntax.EqualsIgnoreCaseBoth(_headers.AsSpan(entry.Start, entry.NameLength), name)) entry.NameLength = -1;
        }
    }

    /// <summary>Writes UTF-8 text to the response body.</summary>
    public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Writes to the response body (Twisted's <c>write</c>). The first write sends the head unless
    /// the handler finishes in the same turn, in which case the response gets a
    /// <c>Content-Length</c>; otherwise the body is chunked (HTTP/1.1) or ends with the connection
    /// (HTTP/1.0). Bytes are copied before this returns. Dropped after the connection is lost.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Finish"/> was already called.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (Finished) throw new InvalidOperationException("Request.Write called after Finish.");
        if (ConnectionLostBeforeFinish || data.IsEmpty) return;
        if (!StartedWriting)
        {
            if (_heldLength + data.Length <= MaxHeldBytes && _declaredLength < 0)
            {
                if (_heldLength + data.Length > _held.Length) Array.Resize(ref _held, Math.Max(_heldLength + data.Length, _held.Length * 2));
                data.CopyTo(_held.AsSpan(_heldLength));
                _heldLength += data.Length;
                if (!_channel.Dispatching && !_flushScheduled)
                {
                    _flushScheduled = true;
                    _channel.Site.Time.CallLater(TimeSpan.Zero, FlushHeld);
                }
                return;
            }
            SendHead(_declaredLength);
            WriteHeld();
        }
        EmitBody(data);
        _channel.EndEmit();
    }

    /// <summary>
    /// Ends the response (Twisted's <c>finish</c>): sends what is held, the last chunk if chunked,
    /// and lets the connection read the next request (or close, if this response closes it).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Finish"/> was already called.</exception>
    public void Finish()
    {
        if (Finished) throw new InvalidOperationException("Request.Finish called twice.");
        Finished = true;
        if (ConnectionLostBeforeFinish) return;
        if (_producer is not null) UnregisterProducer();
        if (!StartedWriting)
        {
            SendHead(_declaredLength >= 0 ? _declaredLength : _heldLength);
            WriteHeld();
        }
        if (_chunked && !IsHead) _channel.Output.Append("0\r\n\r\n"u8);
        var complete = _declaredLength < 0 || IsHead || _bodySent == _declaredLength || !HasBody(_code);
        _channel.ResponseFinished(_keepAliveResponse && complete);
        NotifyWaiters(null);
    }

    /// <summary>
    /// A Deferred that fires with null when the response is finished, or fails with the reason if
    /// the connection is lost first (Twisted's <c>notifyFinish</c>).
    /// </summary>
    public Deferred<object?> NotifyFinish()
    {
        if (Finished && !ConnectionLostBeforeFinish) return Deferred.Succeed<object?>(null);
        if (ConnectionLostBeforeFinish) return Deferred.Fail<object?>(new ConnectionLost("The connection was lost before the response was finished."));
        var waiter = new Deferred<object?>();
        (_finishWaiters ??= []).Add(waiter);
        return waiter;
    }

    /// <summary>Answers 302 Found with a <c>Location</c> of <paramref name="url"/> (Twisted's <c>redirect</c>); call <see cref="Finish"/> after.</summary>
    public void Redirect(string url)
    {
        SetResponseCode(302);
        SetHeader("Location", url);
    }

    /// <summary>
    /// Sets <c>Last-Modified</c>; true (and status 304) when the request's <c>If-Modified-Since</c>
    /// shows the client's copy is current, in which case write no body (Twisted's <c>setLastModified</c> returning CACHED).
    /// </summary>
    public bool SetLastModified(DateTimeOffset when)
    {
        var seconds = DateTimeOffset.FromUnixTimeSeconds(when.ToUnixTimeSeconds());
        SetHeader("Last-Modified", HttpDate.Format(seconds));
        if (_code != HttpStatus.Ok || TryGetHeader("if-none-match"u8, out _)) return false;
        if (HttpDate.TryParse(GetHeader("If-Modified-Since"), out var since) && seconds <= since)
        {
            SetResponseCode(HttpStatus.NotModified);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Sets <c>ETag</c> (a quoted entity tag such as <c>"abc"</c>); true (and status 304) when the
    /// request's <c>If-None-Match</c> lists it or <c>*</c> (Twisted's <c>setETag</c> returning CACHED).
    /// </summary>
    public bool SetETag(string etag)
    {
        SetHeader("ETag", etag);
        if (_code != HttpStatus.Ok || !TryGetHeader("if-none-match"u8, out var match)) return false;
        var tag = Encoding.Latin1.GetBytes(etag);
        if (HttpSyntax.ListContains(match, tag) || match.Trim(" \t"u8).SequenceEqual("*"u8)
            || HttpSyntax.ListContains(match, Encoding.Latin1.GetBytes("W/" + etag)))
        {
            SetResponseCode(HttpStatus.NotModified);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Attaches a producer of the response body (Twisted's <c>registerProducer</c>): a streaming
    /// (push) producer is paused while the connection's output is over its high-water mark; a pull
    /// producer is asked for each next piece as the output drains. Unregistered by <see cref="Finish"/>.
    /// </summary>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        if (_producer is not null) throw new InvalidOperationException("A producer is already registered on this request.");
        if (Finished) throw new InvalidOperationException("The request is finished.");
        _producer = producer;
        if (ConnectionLostBeforeFinish)
        {
            producer.StopProducing();
            return;
        }
        _channel.RegisterResponseProducer(producer, streaming);
    }

    /// <summary>Detaches the producer registered with <see cref="RegisterProducer"/>.</summary>
    public void UnregisterProducer()
    {
        if (_producer is null) return;
        _producer = null;
        _channel.UnregisterResponseProducer();
    }

    /// <summary>
    /// Ends a request whose handler failed (Twisted's <c>processingFailed</c>): the error is logged;
    /// a 500 is sent if the head is not out yet, otherwise the connection is aborted.
    /// </summary>
    public void ProcessingFailed(Exception error)
    {
        _channel.Site.LogHandlerFailure(error, this);
        if (Finished || ConnectionLostBeforeFinish) return;
        if (StartedWriting)
        {
            Finished = true;
            _channel.AbortAfterFailure();
            NotifyWaiters(error);
            return;
        }
        ResetResponse();
        SetResponseCode(HttpStatus.InternalServerError);
        SetHeader("Content-Type"u8, "text/plain; charset=utf-8"u8);
        _responseWantsClose = true;
        Write("Internal Server Error\n"u8);
        Finish();
    }

    internal bool KeepAliveRequested { get; set; }

    private bool _keepAliveResponse;

    internal void ConnectionLost(Failure reason)
    {
        if (Finished) return;
        ConnectionLostBeforeFinish = true;
        var producer = _producer;
        _producer = null;
        producer?.StopProducing();
        NotifyWaiters(reason.Value);
    }

    private void NotifyWaiters(Exception? error)
    {
        var waiters = _finishWaiters;
        if (waiters is null) return;
        _finishWaiters = null;
        foreach (var waiter in waiters)
        {
            if (error is null) waiter.Callback(null);
            else waiter.Errback(error);
        }
    }

    private void FlushHeld()
    {
        _flushScheduled = false;
        if (StartedWriting || Finished || ConnectionLostBeforeFinish || _heldLength == 0) return;
        SendHead(-1);
        WriteHeld();
        _channel.EndEmit();
    }

    /// <summary>At the end of a dispatch: a handler that wrote but did not finish gets its head sent now.</summary>
    internal void FlushHeldAtEndOfDispatch()
    {
        if (!StartedWriting && !Finished && !ConnectionLostBeforeFinish && _heldLength > 0) FlushHeld();
    }

    private void WriteHeld()
    {
        if (_heldLength == 0) return;
        var count = _heldLength;
        _heldLength = 0;
        EmitBody(_held.AsSpan(0, count));
    }

    private void EmitBody(ReadOnlySpan<byte> data)
    {
        if (_declaredLength >= 0)
        {
            var room = _declaredLength - _bodySent;
            if (data.Length > room) data = data[..(int)Math.Max(0, room)];
        }
        _bodySent += data.Length;
        if (IsHead || !HasBody(_code) || data.IsEmpty) return;
        var output = _channel.Output;
        if (_chunked)
        {
            output.AppendHex(data.Length);
            output.Append("\r\n"u8);
            output.Append(data);
            output.Append("\r\n"u8);
        }
        else output.Append(data);
    }

    private static bool HasBody(int code) => code >= 200 && code != 204 && code != 304;

    /// <summary>Writes the status line and headers; <paramref name="length"/> is the body length or -1 when unknown.</summary>
    private void SendHead(long length)
    {
        StartedWriting = true;
        var keepAlive = KeepAliveRequested && !_responseWantsClose && !_channel.MustClose;
        var output = _channel.Output;
        var statusLine = _reason is null ? HttpStatus.StatusLine(_code) : null;
        if (statusLine is not null) output.Append(statusLine);
        else
        {
            output.Append("HTTP/1.1 "u8);
            output.AppendNumber(_code);
            output.Append(" "u8);
            output.AppendLatin1(_reason ?? HttpStatus.ReasonPhrase(_code));
            output.Append("\r\n"u8);
        }
        var options = _channel.Site.Options;
        if (!_userServer && _channel.Site.ServerHeader is { } server) output.Append(server);
        if (!_userDate)
        {
            output.Append("Date: "u8);
            output.Append(_channel.Site.Date.Current);
            output.Append("\r\n"u8);
        }
        for (var i = 0; i < _entryCount; i++)
        {
            var entry = _entries[i];
            if (entry.NameLength >= 0) output.Append(_headers.AsSpan(entry.Start, entry.End - entry.Start));
        }
        if (_code is >= 200 and not 204)
        {
            if (_code == HttpStatus.NotModified)
            {
                // No body and no length: RFC 9110 §15.4.5.
            }
            else if (length >= 0)
            {
                _declaredLength = length;
                output.Append("Content-Length: "u8);
                output.AppendNumber(length);
                output.Append("\r\n"u8);
            }
            else if (!IsHttp10)
            {
                _chunked = true;
                output.Append("Transfer-Encoding: chunked\r\n"u8);
            }
            else keepAlive = false; // HTTP/1.0 without a length: the body ends with the connection.
        }
        if (!keepAlive) output.Append("Connection: close\r\n"u8);
        else if (IsHttp10) output.Append("Connection: keep-alive\r\n"u8);
        output.Append("\r\n"u8);
        _keepAliveResponse = keepAlive;
        _ = options;
    }

    private void ResetResponse()
    {
        _code = HttpStatus.Ok;
        _reason = null;
        _headersLength = 0;
        _entryCount = 0;
        _userDate = _userServer = _responseWantsClose = false;
        _declaredLength = -1;
        _bodySent = 0;
        _chunked = false;
        _heldLength = 0;
        _flushScheduled = false;
        _finishWaiters = null;
        _producer = null;
        StartedWriting = Finished = ConnectionLostBeforeFinish = false;
        _keepAliveResponse = false;
        if (_held.Length > MaxHeldBytes * 2) _held = new byte[256];
    }

    private void ThrowIfStarted()
    {
        if (StartedWriting) throw new InvalidOperationException("The response head was already sent: status and headers can no longer change.");
    }
}
