using System.Net;
using System.Net.Sockets;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples.Hardening;

/// <summary>
/// Issue 12, scope 5, through the built example: PortForward stops its outbound attempt when the
/// client leaves before the target answers. It used to pause the client while connecting, so it
/// could not notice the client leaving and the attempt ran to the end.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PortForwardLeavingClientTests
{
    [Test]
    public void AClientThatLeavesWhileTheTargetIsSlowStopsTheOutboundAttempt()
    {
        // A target whose accept queue is full: the kernel drops further SYNs, so connecting to it hangs.
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        target.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        target.Listen(0);
        var targetPort = ((IPEndPoint)target.LocalEndPoint!).Port;
        using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        filler.Connect(IPAddress.Loopback, targetPort);

        using var forward = ExampleProcess.Start("PortForward", "--port", "0", "--target", $"127.0.0.1:{targetPort}");
        using (var client = ChildProcessStats.Connect(forward.Port))
        {
            client.Send("early bytes"u8);
            client.LingerState = new LingerOption(true, 0); // leave with RST: gone, not half-closed
        }
        forward.WaitForStderr(e => e.Contains("the client left before") && e.Contains("stopped connecting"), "the outbound attempt to be stopped");
        Assert.That(forward.Stderr, Does.Not.Contain("cannot reach"), "a stopped attempt is not reported as a failure");
    }
}
