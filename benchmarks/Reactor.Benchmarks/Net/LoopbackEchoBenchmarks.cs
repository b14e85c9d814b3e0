using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;

namespace Reactor.Benchmarks.Net;

/// <summary>
/// One in-process loopback echo round trip per operation, per backend: a client transport writes
/// 64 bytes, the reactor carries them to an echo server and back. Both ends run on one reactor,
/// driven by Iterate. Expect 0 B allocated per operation.
/// </summary>
[MemoryDiagnoser]
public class LoopbackEchoBenchmarks
{
    private readonly byte[] _message = new byte[64];
    private ReactorLoop _reactor = null!;
    private IListeningPort _port = null!;
    private CountingClient _client = null!;

    [ParamsSource(nameof(Kinds))]
    public SelectorKind Kind { get; set; }

    public static IEnumerable<SelectorKind> Kinds() => SelectorFactory.Available;

    /// <summary>Write-through threshold of every transport: 0 = write through, int.MaxValue = gather and flush, 16 KiB = the default.</summary>
    [Params(0, 16 * 1024, int.MaxValue)]
    public int WriteThroughThreshold { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Reactor.Net.Stream.StreamTransport.DefaultWriteThroughThreshold = WriteThroughThreshold;
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = Kind });
        _port = _reactor.ListenTcp(0, Factory.For<Echo>(), @interface: "127.0.0.1");
        _client = new CountingClient();
        var client = _client;
        _reactor.ConnectTcp("127.0.0.1", ((System.Net.IPEndPoint)_port.GetHost()).Port, new ClientFactory(() => client));
        while (!_client.Connected) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        ((ITcpTransport)_client.Transport).SetTcpNoDelay(true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Reactor.Net.Stream.StreamTransport.DefaultWriteThroughThreshold = Reactor.Net.Internal.OutputSegment.Size;
        _port.StopListening();
        _reactor.Dispose();
    }

    [Benchmark]
    public void EchoRoundTrip()
    {
        var target = _client.Received + _message.Length;
        _client.Transport.Write(_message);
        while (_client.Received < target) _reactor.Iterate(TimeSpan.FromSeconds(1));
    }

    private sealed class Echo : Protocol
    {
        public override void ConnectionMade() => ((ITcpTransport)Transport).SetTcpNoDelay(true);

        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    private sealed class CountingClient : Protocol
    {
        public long Received;

        public override void DataReceived(ReadOnlySpan<byte> data) => Received += data.Length;

        public override void ConnectionLost(Failure reason)
        {
            base.ConnectionLost(reason);
        }
    }
}
