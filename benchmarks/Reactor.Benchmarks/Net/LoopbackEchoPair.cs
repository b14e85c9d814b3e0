using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Benchmarks.Net;

/// <summary>
/// An echo server and a counting client over loopback on one reactor, both with TCP_NODELAY: the
/// round trip the echo benchmarks measure (each benchmark chooses how its reactor is made).
/// </summary>
internal sealed class LoopbackEchoPair
{
    private readonly ReactorLoop _reactor;
    private readonly IListeningPort _port;
    private readonly CountingClient _client = new();

    public LoopbackEchoPair(ReactorLoop reactor)
    {
        _reactor = reactor;
        _port = reactor.ListenTcp(0, Factory.For<Echo>(), @interface: "127.0.0.1");
        var client = _client;
        reactor.ConnectTcp("127.0.0.1", ((System.Net.IPEndPoint)_port.GetHost()).Port, new ClientFactory(() => client));
        while (!_client.Connected) reactor.Iterate(TimeSpan.FromMilliseconds(10));
        ((ITcpTransport)_client.Transport).SetTcpNoDelay(true);
    }

    /// <summary>Writes <paramref name="message"/> and iterates until it has come back.</summary>
    public void RoundTrip(byte[] message)
    {
        var target = _client.Received + message.Length;
        _client.Transport.Write(message);
        while (_client.Received < target) _reactor.Iterate(TimeSpan.FromSeconds(1));
    }

    public void StopListening() => _port.StopListening();

    private sealed class Echo : Protocol
    {
        public override void ConnectionMade() => ((ITcpTransport)Transport).SetTcpNoDelay(true);

        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }

    private sealed class CountingClient : Protocol
    {
        public long Received;

        public override void DataReceived(ReadOnlySpan<byte> data) => Received += data.Length;
    }
}
