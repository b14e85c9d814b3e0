using System.Buffers;
using System.IO.Pipelines;
using Reactor.Core;
using Reactor.Net;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Protocols.Pipelines;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 1 for the Pipelines view: an echo written as pipe code, against a peer that
/// sends and never reads over real loopback, holds at most its input threshold plus the
/// transport's high-water mark (and one read of each), and stops reading from the peer.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class PipelinesBoundTests(SelectorKind kind)
{
    private static async Task Echo(IDuplexPipe pipe)
    {
        while (true)
        {
            var result = await pipe.Input.ReadAsync();
            foreach (var segment in result.Buffer) pipe.Output.Write(segment.Span);
            pipe.Input.AdvanceTo(result.Buffer.End);
            await pipe.Output.FlushAsync();
            if (result.IsCompleted) return;
        }
    }

    [Test]
    public void APipeEchoStopsReadingFromAPeerThatNeverReads()
    {
        var logger = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = logger });
        var options = new DuplexPipeOptions { Scheduler = new ReactorPipeScheduler(reactor) };
        TransportDuplexPipe? server = null;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => server = new TransportDuplexPipe(Echo, options)), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.ConnectionMadeCount == 1 && server is not null, "the connection");
        var serverTransport = (StreamTransport)server!.Transport;
        var clientTransport = (StreamTransport)client.Transport;

        clientTransport.HighWaterMark = long.MaxValue; // a bulk sender (see BoundedOutputTests)
        client.Transport.PauseProducing();
        var chunk = new byte[16 * 1024];
        long sent = 0, maxServerPending = 0;
        reactor.RunUntil(() =>
        {
            while (!client.IsLost && clientTransport.PendingBytes < 256 * 1024)
            {
                client.Transport.Write(chunk);
                sent += chunk.Length;
            }
            maxServerPending = Math.Max(maxServerPending, serverTransport.PendingBytes);
            return server.ReadingPaused && clientTransport.PendingBytes >= 256 * 1024;
        }, "the pipe to stop the transport reading");
        // Keep pushing for a while: the bound holds however long the peer keeps sending. (The pipe
        // pauses and resumes the transport as the kernel's buffers take what they still can.)
        for (var i = 0; i < 50; i++)
        {
            reactor.Iterate(TimeSpan.FromMilliseconds(5));
            while (!client.IsLost && clientTransport.PendingBytes < 256 * 1024)
            {
                client.Transport.Write(chunk);
                sent += chunk.Length;
            }
            maxServerPending = Math.Max(maxServerPending, serverTransport.PendingBytes);
        }

        Assert.Multiple(() =>
        {
            // One flush of the pipe (at most its input threshold plus one read) lands on top of the mark.
            Assert.That(maxServerPending, Is.LessThanOrEqualTo(IWriteBuffer.DefaultHighWaterMark + options.PauseThreshold + ReactorOptions.DefaultReadBufferSize));
        });

        Assert.That(client.IsLost, Is.False, () => $"the connection was lost: {client.LostReason}; server completion: {server.Completion.Status} {server.Completion.Exception?.InnerException}; log: {string.Join(" | ", logger.Errors.Select(e => e.Message + " " + e.Exception))}");
        client.Transport.ResumeProducing();
        reactor.RunUntil(() => client.Received.Length == sent, $"all {sent} bytes echoed");
        Assert.That(client.IsLost, Is.False);
    }
}
