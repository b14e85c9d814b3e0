using System.Net;
using BenchmarkDotNet.Attributes;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Tcp;
using Reactor.Protocols;

namespace Reactor.Benchmarks.Net;

/// <summary>
/// The stream transport's write path over a UNIX socket pair, the peer drained after each
/// operation: write-through (send at once when nothing is pending) against gathering the
/// writes and flushing once at the end of the iteration (one send, or one writev for several
/// segments). Expect 0 B allocated for every case.
/// </summary>
[MemoryDiagnoser]
public unsafe class TransportWriteBenchmarks
{
    private readonly byte[] _small = new byte[64];
    private readonly byte[] _large = new byte[64 * 1024];
    private readonly byte[] _drain = GC.AllocateUninitializedArray<byte>(256 * 1024, pinned: true);
    private DirectTransportHost _host = null!;
    private TcpConnection _transport = null!;
    private int _local;
    private int _peer;

    /// <summary>Writes made per operation (each of 64 bytes) in the small-write cases.</summary>
    [Params(1, 16)]
    public int Writes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_STREAM, out _local, out _peer, out var errno) < 0)
            throw errno.ToIOException("socketpair");
        _host = new DirectTransportHost();
        _transport = new TcpConnection(_host, _local, new IPEndPoint(IPAddress.Loopback, 1));
        _transport.Start(new Sink());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transport.AbortConnection();
        _host.RunFlush();
        LibcSyscalls.Instance.Close(_peer, out _);
    }

    /// <summary>Each 64-byte write goes straight to send(2).</summary>
    [Benchmark(Baseline = true)]
    public void WriteThrough()
    {
        _transport.WriteThroughThreshold = 0;
        for (var i = 0; i < Writes; i++) _transport.Write(_small);
        _host.RunFlush();
        Drain(Writes * _small.Length);
    }

    /// <summary>The 64-byte writes are gathered and sent with one send(2) at the flush.</summary>
    [Benchmark]
    public void GatheredFlush()
    {
        _transport.WriteThroughThreshold = int.MaxValue;
        for (var i = 0; i < Writes; i++) _transport.Write(_small);
        _host.RunFlush();
        Drain(Writes * _small.Length);
    }

    /// <summary>One 64 KiB write gathered into four pooled segments and sent with one writev(2).</summary>
    [Benchmark]
    public void WritevOfFourSegments()
    {
        _transport.WriteThroughThreshold = int.MaxValue;
        _transport.Write(_large);
        _host.RunFlush();
        Drain(_large.Length);
    }

    /// <summary>One 64 KiB write sent straight from the caller's buffer.</summary>
    [Benchmark]
    public void WriteThroughLarge()
    {
        _transport.WriteThroughThreshold = 0;
        _transport.Write(_large);
        _host.RunFlush();
        Drain(_large.Length);
    }

    private void Drain(int expected)
    {
        fixed (byte* p = _drain)
        {
            while (expected > 0)
            {
                var n = LibcSyscalls.Instance.Recv(_peer, p, _drain.Length, out var errno);
                if (n <= 0)
                {
                    if (errno.IsWouldBlock)
                    {
                        // The kernel refused part of a large write: the transport waits for writability.
                        _transport.DoWrite();
                        continue;
                    }
                    throw errno.ToIOException("recv");
                }
                expected -= (int)n;
            }
        }
    }

    private sealed class Sink : IProtocol
    {
        public void MakeConnection(ITransport transport) { }

        public void DataReceived(ReadOnlySpan<byte> data) { }

        public void ConnectionLost(Failure reason) { }
    }
}
