using System.Net;
using System.Net.Sockets;
using Reactor.Docs.Samples.Guides.Multicore;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/multicore.md: the group echo server serves, counts across loops, and stops.</summary>
public class MulticoreGuideTests
{
    [Test]
    public void TheGroupSnippetEchoesOnEveryLoopAndStops()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The snippet asks for SO_REUSEPORT balancing, which is Linux's.");
        var (group, port, tally) = GroupEchoServer.Create();
        var runner = new Thread(group.Run) { IsBackground = true };
        runner.Start();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
                client.Connect(IPAddress.Loopback, GroupEchoServer.PortOf(port));
                client.Send([7]);
                var back = new byte[1];
                Assert.That(client.Receive(back), Is.EqualTo(1));
                Assert.That(back[0], Is.EqualTo(7));
            }
            Assert.That(tally.Total, Is.EqualTo(10), "the shared tally saw every connection, whichever loop took it");
        }
        finally
        {
            group.Stop();
            Assert.That(runner.Join(TimeSpan.FromSeconds(30)), Is.True, "the group stopped");
            group.Dispose();
        }
    }
}
