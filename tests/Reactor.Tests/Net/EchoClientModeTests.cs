namespace Reactor.Tests.Net;

/// <summary>
/// The Echo example's client mode (EXAMPLES.md: "a client mode, where there is one, is
/// <c>client</c>"), run as a program against the Echo server and against a refusing port.
/// </summary>
[NonParallelizable]
public sealed class EchoClientModeTests
{
    [Test]
    public void TheClientSendsStandardInputAndPrintsTheEchoThenExitsCleanly()
    {
        using var echo = ExampleProcess.Start("Echo", "--port", "0");
        var (exitCode, output, error) = ExampleProcess.RunTool(
            "dotnet", "first line\nsecond line\n", ExampleProcess.PathOf("Echo"), "client", "--host", "127.0.0.1", "--port", echo.Port.ToString());
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("first line\nsecond line\n"), "every line comes back, then the half-close ends the run");
    }

    [Test]
    public void TheClientExitsNonZeroWithAMessageWhenRefused()
    {
        // A port bound but not listening: connections to it are refused.
        using var reserved = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        reserved.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var closedPort = ((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port;
        var (exitCode, output, error) = ExampleProcess.RunTool(
            "dotnet", "", ExampleProcess.PathOf("Echo"), "client", "--host", "127.0.0.1", "--port", closedPort.ToString());
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.Not.Empty, "the refusal is explained on stderr");
    }
}
