using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reactor.Core;
using Reactor.Docs.Samples.Packages;
using Reactor.Hosting;
using Reactor.Selectors;

namespace Reactor.Tests.Docs;

/// <summary>src/Reactor.Hosting/README.md (the package's gallery page): its host is a sample the suite runs.</summary>
public class HostingReadmeTests
{
    [Test]
    public async Task TheReadmeHostServesItsEchoListenerAndStartsItsService()
    {
        using var host = HostingReadme.BuildHost(["--Reactor:Listeners:Echo=tcp:0:interface=127.0.0.1"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        try
        {
            var hosted = host.Services.GetRequiredService<ReactorHostedService>();
            var port = ((IPEndPoint)hosted.GetListener("Echo").Port!.GetHost()).Port;
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 60_000 };
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            await client.SendAsync("readme"u8.ToArray(), timeout.Token);
            var reply = new byte[6];
            var received = 0;
            while (received < reply.Length)
            {
                var n = await client.ReceiveAsync(reply.AsMemory(received), timeout.Token);
                Assert.That(n, Is.GreaterThan(0), "the echo closed before answering");
                received += n;
            }
            Assert.That(reply, Is.EqualTo("readme"u8.ToArray()));
            // StartAsync completes once the tree (listeners, then services) has started on the reactor thread.
            var heartbeat = hosted.Application.OfType<HostingReadme.Heartbeat>().Single();
            Assert.That(heartbeat.Beats, Is.GreaterThanOrEqualTo(1), "LoopingCall.Start(now: true) beats at once");
            Assert.That(heartbeat.Running, Is.True);
        }
        finally
        {
            await host.StopAsync(timeout.Token);
        }
    }

    /// <summary>Every configuration key the README lists is bound from the "Reactor" section.</summary>
    [Test]
    public void TheConfigurationKeysTheReadmeListsAreBound()
    {
        using var host = HostingReadme.BuildHost([
            "--Reactor:Listeners:Echo=tcp:0:interface=127.0.0.1",
            "--Reactor:Selector=poll",
            "--Reactor:ReadBufferSize=4096",
            "--Reactor:MaxEventsPerWait=64",
            "--Reactor:WriteHighWaterMark=131072",
            "--Reactor:WriteLowWaterMark=1024",
            "--Reactor:CloseTimeout=00:00:05",
            "--Reactor:TlsHandshakeTimeout=00:00:07",
            "--Reactor:MaxConsecutiveSelectorFailures=3",
        ]);
        var options = host.Services.GetRequiredService<IOptions<ReactorOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(options.Selector, Is.EqualTo(SelectorKind.Poll));
            Assert.That(options.ReadBufferSize, Is.EqualTo(4096));
            Assert.That(options.MaxEventsPerWait, Is.EqualTo(64));
            Assert.That(options.WriteHighWaterMark, Is.EqualTo(131072));
            Assert.That(options.WriteLowWaterMark, Is.EqualTo(1024));
            Assert.That(options.CloseTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.TlsHandshakeTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.MaxConsecutiveSelectorFailures, Is.EqualTo(3));
            Assert.That(host.Services.GetRequiredService<IOptions<ReactorHostOptions>>().Value.Listeners["Echo"], Is.EqualTo("tcp:0:interface=127.0.0.1"));
        });
    }
}
