using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reactor.Web.Tests.Examples;

/// <summary>One parsed HTTP response: status, headers (lower-case names), body.</summary>
internal sealed record HttpReply(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// A raw blocking-socket HTTP client written for the tests: sends bytes exactly as given and
/// parses responses by Content-Length, so pipelining and framing errors are visible.
/// Every receive is bounded by a timeout.
/// </summary>
internal sealed class HttpHelloClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<byte> _pending = new();
    private bool _eof;

    public HttpHelloClient(int port)
    {
        _socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        _socket.SendTimeout = (int)Timeout.TotalMilliseconds;
        _socket.NoDelay = true;
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
    }

    public void Send(string text) => Send(Encoding.ASCII.GetBytes(text));

    public void Send(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Reads one response (headers, then Content-Length bytes of body unless <paramref name="head"/>).</summary>
    public HttpReply ReadResponse(bool head = false)
    {
        var end = IndexOf("\r\n\r\n"u8);
        while (end < 0)
        {
            if (!Fill()) Assert.Fail($"end of stream inside a response head; got: {Encoding.ASCII.GetString(_pending.ToArray())}");
            end = IndexOf("\r\n\r\n"u8);
        }
        var headText = Encoding.ASCII.GetString(_pending.GetRange(0, end).ToArray());
        _pending.RemoveRange(0, end + 4);
        var lines = headText.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        Assert.That(statusParts[0], Is.EqualTo("HTTP/1.1"), "status line: " + lines[0]);
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            Assert.That(colon, Is.GreaterThan(0), "header line: " + line);
            var name = line[..colon].ToLowerInvariant();
            Assert.That(headers.ContainsKey(name), Is.False, "duplicate header " + name);
            headers[name] = line[(colon + 1)..].Trim();
        }
        Assert.That(headers.ContainsKey("content-length"), Is.True, "every response has Content-Length: " + headText);
        var length = int.Parse(headers["content-length"]);
        var bodyLength = head ? 0 : length;
        while (_pending.Count < bodyLength)
        {
            if (!Fill()) Assert.Fail("end of stream inside a response body");
        }
        var body = Encoding.ASCII.GetString(_pending.GetRange(0, bodyLength).ToArray());
        _pending.RemoveRange(0, bodyLength);
        return new HttpReply(int.Parse(statusParts[1]), headers, body);
    }

    /// <summary>True once the server closed its side after everything read so far, with nothing extra sent.</summary>
    public bool ReadsEndOfStream()
    {
        while (Fill()) { }
        return _eof && _pending.Count == 0;
    }

    public void Dispose() => _socket.Dispose();

    private bool Fill()
    {
        if (_eof) return false;
        var buffer = new byte[16 * 1024];
        var n = _socket.Receive(buffer);
        if (n == 0)
        {
            _eof = true;
            return false;
        }
        _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        return true;
    }

    private int IndexOf(ReadOnlySpan<byte> needle) => _pending.ToArray().AsSpan().IndexOf(needle);
}
