using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Docs.Samples.Guides.Transports;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/transports.md: the push producer, in memory and against a peer that reads late.</summary>
public class TransportsGuideTests
{
    [Test]
    public void TheStreamerWritesEveryBlockThenClosesAndUnregisters()
    {
        var transport = new StringTransport();
        var download = new Download(blocks: 5);
        download.MakeConnection(transport);

        Assert.That(transport.Written.Length, Is.EqualTo(5 * 16 * 1024));
        Assert.That(transport.Written[^1], Is.EqualTo((byte)'e'), "block 5 is filled with 'e'");
        Assert.That(transport.Producer, Is.Null, "unregistered once done");
        Assert.That(transport.Disconnecting, Is.True);
    }

    [Test]
    public void APausedStreamerWritesNothingUntilResumed()
    {
        var transport = new StringTransport();
        var streamer = new BlockStreamer(transport, blocks: 3);
        streamer.PauseProducing(); // as a consumer over its high-water mark would
        transport.RegisterProducer(streamer, streaming: true);
        Assert.That(transport.Written.Length, Is.Zero);

        streamer.ResumeProducing();
        Assert.That(transport.Written.Length, Is.EqualTo(3 * 16 * 1024));
        streamer.StopProducing();
    }

    [Test]
    public void APeerThatReadsLatePausesTheStreamerAndStillGetsEveryByte()
    {
        const int blocks = 2048; // 32 MiB: more than the kernel's socket buffers can hold
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        Download? download = null;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => download = new Download(blocks)), @interface: "127.0.0.1");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        client.Connect(new IPEndPoint(IPAddress.Loopback, NetTesting.PortOf(port)));

        // The client reads nothing until the producer has been paused at least once.
        reactor.RunUntil(() => download?.Streamer?.Pauses > 0, "the transport pausing the streamer");

        long total = 0;
        var reader = new Thread(() =>
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = client.Receive(buffer)) > 0) total += n;
        });
        reader.Start();
        reactor.RunUntil(() => !reader.IsAlive, "the client reading to the end");
        Assert.That(total, Is.EqualTo(blocks * 16L * 1024));
    }
}
