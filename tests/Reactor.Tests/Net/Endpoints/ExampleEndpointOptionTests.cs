using System.Runtime.Versioning;
using Reactor.Net.Endpoints;
using Reactor.Tests.Net;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>The examples' --listen / --connect endpoint options (../shared/EXAMPLES.md), run as programs.</summary>
[TestFixture]
[NonParallelizable]
[UnsupportedOSPlatform("windows")]
public class ExampleEndpointOptionTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("reactor-ep-example-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void EchoListensOnAUnixEndpointAndItsClientConnectsToIt()
    {
        var path = Path.Combine(_dir, "echo.sock");
        var description = "unix:" + EndpointDescription.Quote(path);
        using var echo = ExampleProcess.Start("Echo", "--listen", description);
        Assert.That(echo.FirstLine, Is.EqualTo($"Echo listening on {path}"));

        var (exitCode, output, error) = ExampleProcess.RunTool("dotnet", "hello\nendpoints\n", ExampleProcess.PathOf("Echo"), "client", "--connect", description);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("hello\nendpoints\n"));
        Assert.That(echo.Signal("TERM"), Is.Zero);
    }

    [Test]
    public void ChatListensWhereTheTcpEndpointSays()
    {
        using var chat = ExampleProcess.Start("Chat", "--listen", "tcp:0:interface=127.0.0.1:backlog=2048");
        Assert.That(chat.FirstLine, Does.Match(@"^Chat listening on 127\.0\.0\.1:\d+$"));
        Assert.That(chat.Signal("TERM"), Is.Zero);
    }

    [Test]
    public void ABadEndpointIsAUsageErrorNamingTheSegmentAndKeys()
    {
        var (exitCode, error) = ExampleProcess.RunToExit("Echo", "--listen", "tcp:0:colour=blue");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("in segment \"colour=blue\"").And.Contain("Accepted keys: port, interface, backlog"));

        (exitCode, error) = ExampleProcess.RunToExit("Echo", "--listen", "tcp:0:\\");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("lone backslash"));
    }

    [Test]
    public void ConnectWithoutAClientModeIsAUsageError()
    {
        var (exitCode, error) = ExampleProcess.RunToExit("Echo", "--connect", "tcp:127.0.0.1:1");
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("'--connect'"), "System.CommandLine names the option the server mode does not take");
    }

    [Test]
    public void AClientThatCannotConnectExitsNonZeroWithTheReason()
    {
        var (exitCode, _, error) = ExampleProcess.RunTool("dotnet", "", ExampleProcess.PathOf("Echo"), "client", "--connect",
            "unix:" + EndpointDescription.Quote(Path.Combine(_dir, "nobody.sock")));
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("cannot connect to unix:"));
    }
}
