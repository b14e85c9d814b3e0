using System.Runtime.Versioning;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Net.Udp;
using Reactor.Tests.Net;

namespace Reactor.Tests.Net.Unix;

/// <summary>The UnixEcho example, run as a program and driven by socat (../shared/EXAMPLES.md).</summary>
[TestFixture]
[NonParallelizable]
[UnsupportedOSPlatform("windows")]
public class UnixEchoExampleTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = DatagramTestKit.TempDirectory();

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void SocatEchoesAndACleanExitRemovesTheSocketFile()
    {
        var socat = ExternalTool.Require("socat");
        var path = Path.Combine(_dir, "echo.sock");
        using var echo = ExampleProcess.Start("UnixEcho", "--path", path);
        Assert.That(echo.FirstLine, Is.EqualTo($"UnixEcho listening on {path}"));

        // socat half-closes at the end of its input; the server echoes everything, then closes.
        var (exitCode, output, error) = ExampleProcess.RunTool(socat, "hello\nunix\n", "-", $"UNIX-CONNECT:{path}");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("hello\nunix\n"));

        Assert.That(echo.Signal("TERM"), Is.Zero, "SIGTERM stops the server cleanly");
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(path), Is.False, "socket file removed");
            Assert.That(File.Exists(path + ".lock"), Is.False, "lock file removed");
        });
    }

    [Test]
    public void ASecondServerOnTheSamePathExitsNonZeroWithAMessage()
    {
        var path = Path.Combine(_dir, "once.sock");
        using var first = ExampleProcess.Start("UnixEcho", "--path", path);
        var (exitCode, error) = ExampleProcess.RunToExit("UnixEcho", "--path", path);
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain(path).And.Contain($"pid {first.Id}"));
    }

    [Test]
    public void AStaleSocketFileLeftByAKilledServerIsRemovedAtStart()
    {
        var socat = ExternalTool.Require("socat");
        var path = Path.Combine(_dir, "killed.sock");
        using (var killed = ExampleProcess.Start("UnixEcho", "--path", path))
        {
            Assert.That(killed.Signal("KILL"), Is.Not.Zero);
        }
        Assert.That(File.Exists(path), Is.True, "SIGKILL leaves the socket file behind");

        using var echo = ExampleProcess.Start("UnixEcho", "--path", path);
        var (exitCode, output, error) = ExampleProcess.RunTool(socat, "still works\n", "-", $"UNIX-CONNECT:{path}");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("still works\n"));
    }
}
