using System.Net;
using System.Net.Sockets;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples;

/// <summary>UdpEcho's client mode run as a program, against the UdpEcho server and against a closed port.</summary>
[TestFixture]
[NonParallelizable]
public sealed class UdpEchoClientModeTests
{
    [Test]
    public void EachLineOfInputComesBackAsAReplyAndTheClientExitsZero()
    {
        using var server = ExampleProcess.Start("UdpEcho", "--port", "0");
        var (exitCode, output, error) = ExampleProcess.RunTool("dotnet", "hello\nover udp\n",
            ExampleProcess.PathOf("UdpEcho"), "client", "--port", server.Port.ToString(), "--timeout", "20");
        Assert.That(exitCode, Is.Zero, error);
        // UDP keeps no order across datagrams in general; on loopback they arrive in order.
        Assert.That(output, Is.EqualTo("hello\nover udp\n"));
    }

    [Test]
    public void AClosedPortIsReportedAsRefusedWithExitCodeOne()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var (exitCode, _, error) = ExampleProcess.RunTool("dotnet", "anyone there?\n",
            ExampleProcess.PathOf("UdpEcho"), "client", "--port", port.ToString(), "--timeout", "20");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("connection refused"));
    }
}
