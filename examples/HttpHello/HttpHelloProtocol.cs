using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols.Basic;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Examples.HttpHello;

/// <summary>
/// One HTTP/1.1 connection answering every request with <c>200 OK</c> and "Hello, World!".
/// Keep-alive and pipelining by default; <c>Content-Length</c> on every response;
/// <c>Connection: close</c> (or an HTTP/1.0 request without <c>keep-alive</c>) honoured;
/// request bodies with <c>Content-Length</c> read and dropped; a malformed request line or header
/// gets 400, a request line over the limit 414, a header section over the limit 431, a
/// <c>Transfer-Encoding</c> 501, HTTP/2+ 505, each followed by a close.
/// </summary>
/// <remarks>
/// <para>Parsing is <see cref="LineReceiver"/> with an LF delimiter (a trailing CR is dropped, so
/// bare-LF clients work too) and its raw mode for bodies. Responses are copied from pre-encoded
/// bytes into a per-connection batch; all the responses produced by one read go out in one write
/// at the end of <see cref="DataReceived"/>, so several pipelined requests cost one send(2).
/// Steady state allocates nothing per request.</para>
/// <para>Closing: the final response is followed by a FIN (<c>LoseWriteConnection</c>) while the
/// rest of what the client sends is read and dropped, until its FIN or
/// <see cref="LingerTimeout"/>. Closing at once with unread input would make the kernel send RST,
/// which can destroy the response before the client reads it.</para>
/// <para>A client that does not read its responses stops being read from: the receiver is the
/// transport's producer, paused above the transport's high-water mark.</para>
/// </remarks>
public sealed class HttpHelloProtocol : LineReceiver, IHalfCloseableProtocol
{
    /// <summary>The default limit on the request line plus header fields, in bytes.</summary>
    public const int DefaultMaxHeaderBytes = 8192;

    /// <summary>How long a closing connection waits for the client's FIN before closing anyway.</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    // Past this many batched bytes, responses are written before the read is finished.
    private const int BatchFlushThreshold = 32 * 1024;

    private enum State
    {
        RequestLine,
        Headers,
        Body,
        Closing,
    }

    private readonly IReactorTime _time;
    private readonly HttpDate _date;
    private readonly int _maxHeaderBytes;
    private byte[] _batch = new byte[1024];
    private int _batched;
    private int _receiveDepth;
    private State _state = State.RequestLine;
    private IDelayedCall? _linger;

    // The request being read.
    private int _headerBytes;
    private bool _isHead;
    private bool _http10;
    private bool _sawHost;
    private bool _closeRequested;
    private bool _keepAliveRequested;
    private long _contentLength;
    private long _bodyRemaining;

    /// <summary>Creates the protocol for one connection.</summary>
    /// <param name="time">Schedules the linger timeout of a closing connection.</param>
    /// <param name="date">The shared <c>Date</c> header source of this reactor.</param>
    /// <param name="maxHeaderBytes">Limit on the request line plus header fields (line endings included).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxHeaderBytes"/> is below 64.</exception>
    public HttpHelloProtocol(IReactorTime time, HttpDate date, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(date);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaderBytes, 64);
        _time = time;
        _date = date;
        _maxHeaderBytes = maxHeaderBytes;
        Delimiter = "\n"u8;
        MaxLength = maxHeaderBytes;
    }

    /// <summary>Requests answered on this connection so far.</summary>
    public long RequestsAnswered { get; private set; }

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        // Responses are small and often the last bytes for a while: do not let Nagle hold them.
        if (Transport is ITcpTransport tcp) tcp.SetTcpNoDelay(true);
        Transport.RegisterProducer(this, streaming: true);
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _receiveDepth++;
        try
        {
            base.DataReceived(data);
        }
        finally
        {
            _receiveDepth--;
        }
        // The outermost call (raw mode feeds the rest of a read back in) writes the whole batch.
        if (_receiveDepth == 0) FlushBatch();
    }

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        var lineBytes = line.Length + 1;
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        switch (_state)
        {
            case State.RequestLine:
                // RFC 9112 §2.2: empty lines before a request line are ignored.
                if (line.IsEmpty) return;
                StartRequest(line, lineBytes);
                break;
            case State.Headers:
                _headerBytes += lineBytes;
                if (_headerBytes > _maxHeaderBytes)
                {
                    Fail(431);
                    return;
                }
                if (line.IsEmpty) EndOfHeaders();
                else HeaderReceived(line);
                break;
        }
    }

    /// <inheritdoc/>
    public override void RawDataReceived(ReadOnlySpan<byte> data)
    {
        // Closing: whatever the client still sends is dropped.
        if (_state != State.Body) return;
        var taken = (int)Math.Min(_bodyRemaining, data.Length);
        _bodyRemaining -= taken;
        if (_bodyRemaining > 0) return;
        Respond();
        if (_state == State.Closing) return;
        // The rest of this read is the next request (pipelined after the body).
        SetLineMode(data[taken..]);
    }

    /// <inheritdoc/>
    public override void LineLengthExceeded(ReadOnlySpan<byte> line)
    {
        if (_state == State.Closing) return;
        Fail(_state == State.RequestLine ? 414 : 431);
    }

    /// <summary>The client sent FIN: nothing more will come, so close once the responses are out.</summary>
    public void ReadConnectionLost() => Transport.LoseConnection();

    /// <inheritdoc/>
    public void WriteConnectionLost() { }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        if (_linger is { Active: true }) _linger.Cancel();
        _linger = null;
    }

    private void StartRequest(ReadOnlySpan<byte> line, int lineBytes)
    {
        _headerBytes = lineBytes;
        switch (HttpSyntax.ParseRequestLine(line, out _isHead, out var minor))
        {
            case RequestLineStatus.Malformed:
                Fail(400);
                return;
            case RequestLineStatus.UnsupportedVersion:
                Fail(505);
                return;
        }
        _http10 = minor == 0;
        _sawHost = _closeRequested = _keepAliveRequested = false;
        _contentLength = -1;
        _state = State.Headers;
    }

    private void HeaderReceived(ReadOnlySpan<byte> line)
    {
        if (!HttpSyntax.TrySplitHeader(line, out var name, out var value))
        {
            Fail(400);
            return;
        }
        if (HttpSyntax.EqualsIgnoreCase(name, "content-length"u8))
        {
            // Two different lengths would let two parties frame the message differently (RFC 9112 §6.3).
            if (!HttpSyntax.TryParseContentLength(value, out var length) || (_contentLength >= 0 && length != _contentLength))
            {
                Fail(400);
                return;
            }
            _contentLength = length;
        }
        else if (HttpSyntax.EqualsIgnoreCase(name, "connection"u8))
        {
            _closeRequested |= HttpSyntax.ListContains(value, "close"u8);
            _keepAliveRequested |= HttpSyntax.ListContains(value, "keep-alive"u8);
        }
        else if (HttpSyntax.EqualsIgnoreCase(name, "transfer-encoding"u8))
        {
            // Chunked request bodies are not supported; guessing their length would desynchronise.
            Fail(501);
        }
        else if (HttpSyntax.EqualsIgnoreCase(name, "host"u8))
        {
            _sawHost = true;
        }
    }

    private void EndOfHeaders()
    {
        // RFC 9112 §3.2: an HTTP/1.1 request without Host gets 400.
        if (!_http10 && !_sawHost)
        {
            Fail(400);
            return;
        }
        if (_contentLength > 0)
        {
            _bodyRemaining = _contentLength;
            _state = State.Body;
            SetRawMode();
            return;
        }
        Respond();
    }

    private void Respond()
    {
        RequestsAnswered++;
        var keepAlive = !_closeRequested && (!_http10 || _keepAliveRequested);
        var connection = !keepAlive ? ResponseConnection.Close
            : _http10 ? ResponseConnection.KeepAliveExplicit : ResponseConnection.KeepAliveDefault;
        Append(HttpResponses.OkHead, HttpResponses.OkTailFor(connection, withBody: !_isHead));
        if (!keepAlive)
        {
            Close();
            return;
        }
        _state = State.RequestLine;
    }

    private void Fail(int status)
    {
        Append(HttpResponses.ErrorHead(status), HttpResponses.ErrorTail(status));
        Close();
    }

    private void Append(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        var date = _date.Current;
        var needed = _batched + head.Length + date.Length + tail.Length;
        if (needed > _batch.Length) Array.Resize(ref _batch, Math.Max(needed, _batch.Length * 2));
        head.CopyTo(_batch.AsSpan(_batched));
        date.CopyTo(_batch.AsSpan(_batched + head.Length));
        tail.CopyTo(_batch.AsSpan(_batched + head.Length + date.Length));
        _batched = needed;
        if (_batched >= BatchFlushThreshold) FlushBatch();
    }

    private void FlushBatch()
    {
        if (_batched == 0) return;
        var count = _batched;
        _batched = 0;
        Transport.Write(_batch.AsSpan(0, count));
    }

    /// <summary>The last response is batched: send it, then FIN, and drop whatever else arrives.</summary>
    private void Close()
    {
        _state = State.Closing;
        FlushBatch();
        // Raw mode: the rest is dropped as it comes, never buffered as lines.
        SetRawMode();
        if (Transport is IStreamTransport stream)
        {
            stream.LoseWriteConnection();
            _linger = _time.CallLater(LingerTimeout, () =>
            {
                _linger = null;
                Transport.LoseConnection();
            });
        }
        else
        {
            Transport.LoseConnection();
        }
    }
}
