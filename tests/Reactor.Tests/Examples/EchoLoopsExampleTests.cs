using System.Net;
using System.Net.Sockets;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples;

/// <summary>Echo --loops N: the same contract served by a ReactorGroup, in both ways of spreading connections.</summary>
[TestFixture]
public class EchoLoopsExampleTests
{
    [TestCase("reuseport")]
    [TestCase("handoff")]
    public void EchoOnTwoLoopsServesEveryClientAndStopsCleanlyOnSigterm(string spread)
    {
        using var echo = ExampleProcess.Start("Echo", "--port", "0", "--loops", "2", "--spread", spread);
        Assert.That(echo.FirstLine, Does.Match(@"^Echo listening on 127\.0\.0\.1:\d+$"));
        var clients = new List<Socket>();
        for (var i = 0; i < 8; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
            client.Connect(IPAddress.Loopback, echo.Port);
            client.Send([(byte)i, 1, 2]);
            var back = new byte[3];
            var got = 0;
            while (got < 3) got += client.Receive(back, got, 3 - got, SocketFlags.None);
            Assert.That(back, Is.EqualTo(new byte[] { (byte)i, 1, 2 }));
            clients.Add(client);
        }
        if (OperatingSystem.IsLinux())
        {
            var threads = Directory.GetDirectories($"/proc/{echo.Id}/task").Select(t => File.ReadAllText(Path.Combine(t, "comm")).Trim());
            Assert.That(threads, Does.Contain("reactor-1"), "the second loop runs on a thread of its own");
        }

        Assert.That(echo.Terminate(), Is.Zero, echo.Stderr);
        foreach (var client in clients)
        {
            using (client) Assert.That(client.Receive(new byte[1]), Is.Zero, "the shutdown closed every connection, on both loops");
        }
    }

    [Test]
    public void ZeroLoopsIsAUsageErrorNamingTheOption()
    {
        var (code, error) = ExampleProcess.RunToExit("Echo", "--loops", "0");
        Assert.That(code, Is.Not.Zero);
        Assert.That(error, Does.Contain("--loops must be at least 1"));
    }

    [Test]
    public void LoopsWithAnEndpointStringIsRefusedWithAMessage()
    {
        var (code, error) = ExampleProcess.RunToExit("Echo", "--loops", "2", "--listen", "tcp:0");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("--loops"));
    }
}
