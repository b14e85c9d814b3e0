using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;

namespace Reactor.Benchmarks.Echo;

/// <summary>
/// The in-process loopback echo round trip, per selector backend: a client and an echo server on
/// one reactor over 127.0.0.1 TCP; one operation is one message written by the client and read
/// back whole (client send, server recv + echo send, client recv, with the selector waits between).
/// This is the transport's whole hot path; steady state must show 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class LoopbackEchoBenchmarks
{
    private ReactorLoop _reactor = null!;
    private CountingClient _client = null!;
    private byte[] _message = [];

    /// <summary>The backend under test.</summary>
    [ParamsSource(nameof(Kinds))]
    public SelectorKind Kind { get; set; }

    /// <summary>Bytes per message: a small request, and one that fills several kernel segments.</summary>
    [Params(64, 16 * 1024)]
    public int Size { get; set; }

    /// <summary>The backends available on this machine.</summary>
    public static IEnumerable<SelectorKind> Kinds() => SelectorFactory.Available;

    /// <summary>Listens, connects, and waits until both ends are up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = Kind });
        _message = new byte[Size];
        Random.Shared.NextBytes(_message);
        var port = _reactor.ListenTcp(0, Factory.For<EchoServer>(), @interface: "127.0.0.1");
        _client = new CountingClient();
        _reactor.ConnectTcp("127.0.0.1", ((System.Net.IPEndPoint)port.GetHost()).Port, new ClientFactory(() => _client));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_client.Connected && DateTime.UtcNow < deadline) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        if (!_client.Connected) throw new InvalidOperationException("The loopback client did not connect within 30 s.");
    }

    /// <summary>Closes both ends and the reactor.</summary>
    [GlobalCleanup]
    public void Cleanup() => _reactor.Dispose();

    /// <summary>One message out and back.</summary>
    [Benchmark]
    public long RoundTrip()
    {
        var target = _client.Received + _message.Length;
        _client.Transport.Write(_message);
        while (_client.Received < target) _reactor.Iterate(TimeSpan.FromSeconds(5));
        return _client.Received;
    }

    /// <summary>Echoes what it receives, as examples/Echo does.</summary>
    public sealed class EchoServer : Protocol
    {
        /// <inheritdoc/>
        public override void ConnectionMade()
        {
            if (Transport is ITcpTransport tcp) tcp.SetTcpNoDelay(true);
        }

        /// <inheritdoc/>
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    /// <summary>Counts the bytes that come back.</summary>
    public sealed class CountingClient : Protocol
    {
        /// <summary>Bytes received so far.</summary>
        public long Received { get; private set; }

        /// <inheritdoc/>
        public override void ConnectionMade()
        {
            if (Transport is ITcpTransport tcp) tcp.SetTcpNoDelay(true);
        }

        /// <inheritdoc/>
        public override void DataReceived(ReadOnlySpan<byte> data) => Received += data.Length;
    }
}
