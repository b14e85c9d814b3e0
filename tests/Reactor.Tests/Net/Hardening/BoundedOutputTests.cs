using Reactor.Core;
using Reactor.Net;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Bounded output by default (issue 12, scope 1): a protocol that answers what it reads, with no
/// producer registered, cannot be made to buffer without bound by a peer that sends and never reads.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class BoundedOutputTests(SelectorKind kind)
{
    private const int Chunk = 16 * 1024;

    [Test]
    public void AnEchoServerStopsReadingFromAPeerThatNeverReadsAndResumesWhenItDoes()
    {
        using var reactor = NetTesting.CreateReactor(kind, new CapturingLogger());
        var servers = new List<WatchedEcho>();
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() =>
        {
            var p = new WatchedEcho();
            servers.Add(p);
            return p;
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.ConnectionMadeCount == 1 && servers.Count == 1, "the connection");
        var server = (StreamTransport)servers[0].Transport;
        var clientTransport = (StreamTransport)client.Transport;

        // The client never reads; it sends until the server has stopped reading from it. (The client
        // is a bulk sender: with its own output over the mark it would stop reading too, and two
        // peers that both wait for the other to read never finish — a bulk sender registers a
        // producer or raises its mark.)
        clientTransport.HighWaterMark = long.MaxValue;
        client.Transport.PauseProducing();
        var chunk = new byte[Chunk];
        long sent = 0;
        long maxServerPending = 0;
        reactor.RunUntil(() =>
        {
            // Top the client's output up to four chunks each iteration: loopback's kernel buffers
            // take megabytes, and one chunk per iteration took longer than the deadline on a loaded machine.
            while (clientTransport.PendingBytes < 4 * Chunk)
            {
                client.Transport.Write(chunk);
                sent += Chunk;
            }
            maxServerPending = Math.Max(maxServerPending, server.PendingBytes);
            return server.ReadingPausedByOutput && clientTransport.PendingBytes >= 4 * Chunk;
        }, "the server to stop reading from a client that never reads");
        // Keep the loop turning: whatever the kernel does with the buffers (loopback's grow, so the
        // server's output may drain a little and reading legitimately resume), no byte may be
        // delivered while reading is paused, and the output never passes the bound.
        for (var i = 0; i < 50; i++)
        {
            reactor.Iterate(TimeSpan.FromMilliseconds(5));
            maxServerPending = Math.Max(maxServerPending, server.PendingBytes);
        }
        Assert.That(servers[0].DeliveredWhilePaused, Is.Zero, "the server read while its output was over the mark");
        // One read (the reactor's buffer) can land on top of the mark before reading stops.
        Assert.That(maxServerPending, Is.LessThanOrEqualTo(IWriteBuffer.DefaultHighWaterMark + ReactorOptions.DefaultReadBufferSize));

        // The client reads again: everything it sent comes back, and the server reads again.
        client.Transport.ResumeProducing();
        reactor.RunUntil(() => client.Received.Length == sent, $"all {sent} bytes echoed");
        Assert.That(server.ReadingPausedByOutput, Is.False);
        Assert.That(client.IsLost, Is.False);
    }

    [Test]
    public void TheMarksComeFromReactorOptionsAndAreSettablePerTransport()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, WriteHighWaterMark = 1000, WriteLowWaterMark = 10 });
        var servers = new List<EchoProtocol>();
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() =>
        {
            var p = new EchoProtocol();
            servers.Add(p);
            return p;
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.ConnectionMadeCount == 1 && servers.Count == 1, "the connection");
        var buffer = (IWriteBuffer)servers[0].Transport;
        Assert.That(buffer.HighWaterMark, Is.EqualTo(1000));
        Assert.That(buffer.LowWaterMark, Is.EqualTo(10));
        buffer.HighWaterMark = 5000;
        Assert.That(buffer.HighWaterMark, Is.EqualTo(5000));
        Assert.That(((IWriteBuffer)client.Transport).HighWaterMark, Is.EqualTo(1000));
    }

    [Test]
    public void BadMarksInReactorOptionsAreRefusedAtCreate()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReactorLoop.Create(new ReactorOptions { Selector = kind, WriteHighWaterMark = 10, WriteLowWaterMark = 20 }).Dispose());
        Assert.Throws<ArgumentOutOfRangeException>(() => ReactorLoop.Create(new ReactorOptions { Selector = kind, WriteHighWaterMark = -1 }).Dispose());
    }

    /// <summary>An echo that notes any bytes delivered while its transport said reading was paused for output.</summary>
    private sealed class WatchedEcho : Protocol
    {
        public long DeliveredWhilePaused { get; private set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (((StreamTransport)Transport).ReadingPausedByOutput) DeliveredWhilePaused += data.Length;
            Transport.Write(data);
        }
    }
}
