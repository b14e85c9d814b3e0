using Reactor.Core;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TcpManyConnectionsTests(SelectorKind kind)
{
    private const int FdSetSize = 1024;

    /// <summary>Room left for descriptors other tests' leftovers or the runtime may open meanwhile.</summary>
    private const int Margin = 64;

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    [Test]
    public void AThousandConcurrentConnectionsEchoCorrectly()
    {
        // Both ends live in this process: 1,000 connections are 2,000 descriptors, past select(2)'s
        // FD_SETSIZE of 1,024, which the select backend refuses by design (its own tests cover the
        // refusal); it gets as many connections as fit under the limit instead. What fits depends on
        // what the process already holds: the runtime keeps two descriptors per loaded assembly, over
        // 200 in a full run of this suite, so the count is taken from the free room, not assumed.
        var count = kind == SelectorKind.Select ? Math.Min(400, (FdSetSize - OpenDescriptors() - Margin) / 2) : 1000;
        Assert.That(count, Is.GreaterThan(100), "room for a meaningful number of connections under FD_SETSIZE");

        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var port = reactor.ListenTcp(0, Factory.For<EchoProtocol>(), backlog: 4096, @interface: "127.0.0.1");
        var clients = new RecordingProtocol[count];
        var expected = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            // Each client sends its own number and some bytes that depend on it.
            var message = new byte[64 + i % 100];
            BitConverter.TryWriteBytes(message, i);
            for (var j = 4; j < message.Length; j++) message[j] = (byte)(i * 7 + j);
            expected[i] = message;
            clients[i] = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write(message) };
            var client = clients[i];
            reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        }

        reactor.RunUntil(() => clients.All(c => c.Received.Length >= 64 + 0) && Enumerable.Range(0, count).All(i => clients[i].Received.Length == expected[i].Length),
            "every client's echo", TimeSpan.FromSeconds(60));
        for (var i = 0; i < count; i++) Assert.That(clients[i].Received.ToArray(), Is.EqualTo(expected[i]), $"client {i}");
        Assert.That(clients.All(c => c.Connected), Is.True, "all still connected");
    }
}
