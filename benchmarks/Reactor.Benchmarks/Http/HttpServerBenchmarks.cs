using System.Text;
using BenchmarkDotNet.Attributes;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Http;
using Reactor.Web.Server;

namespace Reactor.Benchmarks.Http;

/// <summary>
/// The HTTP server's per-request cost without sockets: 16 pipelined keep-alive requests fed to one
/// connection in one read (TechEmpower's plaintext shape) and answered through the resource tree,
/// batched into one write. Requests/s = 16 / Mean; steady state must allocate 0 bytes per
/// operation (also asserted by ChannelTests.SteadyStateKeepAlivePlaintextAllocatesNothingPerRequest).
/// </summary>
[MemoryDiagnoser]
public class HttpServerBenchmarks
{
    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();
    private byte[] _sixteen = [];
    private byte[] _chunkedPost = [];
    private HttpChannel _channel = null!;
    private StringTransport _transport = null!;

    /// <summary>A site with /plaintext and /echo, one connection on a StringTransport.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var root = new Resource();
        root.PutChild("plaintext", new DelegateResource(request =>
        {
            request.SetHeader("Content-Type"u8, "text/plain"u8);
            request.Write(Hello);
        }));
        root.PutChild("echo", new DelegateResource(request => request.Write(request.Content.Span)));
        var site = new Site(root, new Clock(), date: new HttpDate());
        _transport = new StringTransport();
        _channel = (HttpChannel)site.BuildProtocol(_transport.GetPeer())!;
        _channel.MakeConnection(_transport);
        var one = "GET /plaintext HTTP/1.1\r\nHost: server\r\nUser-Agent: bench\r\nAccept: text/plain\r\nConnection: keep-alive\r\n\r\n"u8.ToArray();
        _sixteen = Enumerable.Repeat(one, 16).SelectMany(b => b).ToArray();
        _chunkedPost = Encoding.ASCII.GetBytes("POST /echo HTTP/1.1\r\nHost: server\r\nTransfer-Encoding: chunked\r\n\r\n" +
            string.Concat(Enumerable.Repeat("40\r\n" + new string('x', 64) + "\r\n", 16)) + "0\r\n\r\n");
    }

    /// <summary>16 pipelined plaintext requests, one read, one write.</summary>
    [Benchmark]
    public int PlaintextPipelined16()
    {
        _channel.DataReceived(_sixteen);
        var written = _transport.Written.Length;
        _transport.Clear();
        return written;
    }

    /// <summary>One POST with a 1 KiB chunked body, read whole and echoed.</summary>
    [Benchmark]
    public int ChunkedPostEcho()
    {
        _channel.DataReceived(_chunkedPost);
        var written = _transport.Written.Length;
        _transport.Clear();
        return written;
    }
}
