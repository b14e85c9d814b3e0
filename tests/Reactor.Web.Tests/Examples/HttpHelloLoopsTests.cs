using System.Diagnostics;

namespace Reactor.Web.Tests.Examples;

/// <summary>HttpHello --loops N: the same HTTP served by a ReactorGroup, each loop with its own site.</summary>
public sealed class HttpHelloLoopsTests
{
    [TestCase("reuseport")]
    [TestCase("handoff")]
    public async Task HttpHelloOnTwoLoopsAnswersEveryConnectionAndStopsOnSigterm(string spread)
    {
        using var server = ExampleProcess.StartServer("HttpHello", "--port", "0", "--loops", "2", "--spread", spread);
        Assert.That(server.FirstLine, Does.Match(@"^HttpHello listening on 127\.0\.0\.1:\d+$"));
        for (var i = 0; i < 6; i++)
        {
            // A client per request: a new connection each time, so both loops get some.
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            Assert.That(await client.GetStringAsync($"http://127.0.0.1:{server.Port}/json"), Is.EqualTo("{\"message\":\"Hello, World!\"}"));
        }
        Assert.That(server.Terminate(), Is.Zero, server.Stderr);
    }

    [Test]
    public void ZeroLoopsIsAUsageError()
    {
        using var process = Process.Start(ExampleProcess.Info("HttpHello", "--loops", "0"))!;
        Assert.That(process.WaitForExit(30_000), Is.True);
        Assert.That(process.ExitCode, Is.Not.Zero);
        Assert.That(process.StandardError.ReadToEnd(), Does.Contain("--loops must be at least 1"));
    }
}
