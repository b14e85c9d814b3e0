using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Udp;

/// <summary>The UdpEcho example, run as a program and driven by socat and Python (../shared/EXAMPLES.md).</summary>
[TestFixture]
[NonParallelizable]
public class UdpEchoExampleTests
{
    private const string PythonLargestDatagram = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(20)
        data = bytes(i % 251 for i in range(65507))
        s.sendto(data, ("127.0.0.1", int(sys.argv[1])))
        reply, sender = s.recvfrom(70000)
        print("ok" if reply == data and sender[1] == int(sys.argv[1]) else "mismatch %d from %r" % (len(reply), sender))
        """;

    [Test]
    public void SocatGetsItsDatagramBackAndSigtermStopsTheServer()
    {
        var socat = ExternalTool.Require("socat");
        using var echo = ExampleProcess.Start("UdpEcho", "--port", "0");
        Assert.That(echo.FirstLine, Does.Match(@"^UdpEcho listening on 127\.0\.0\.1:\d+$"));

        // socat sends stdin as one datagram and prints the reply; -t bounds how long it waits for it.
        var (exitCode, output, error) = ExampleProcess.RunTool(socat, "hello over udp\n", "-t", "5", "-", $"UDP:127.0.0.1:{echo.Port}");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("hello over udp\n"));
        Assert.That(echo.Signal("TERM"), Is.Zero, "SIGTERM stops the server cleanly");
    }

    [Test]
    public void TheLargestIPv4DatagramComesBackWholeFromTheListeningPort()
    {
        var python = ExternalTool.Require("python3");
        using var echo = ExampleProcess.Start("UdpEcho", "--port", "0");
        var (exitCode, output, error) = ExampleProcess.RunTool(python, "", "-c", PythonLargestDatagram, echo.Port.ToString());
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output.Trim(), Is.EqualTo("ok"));
    }
}
