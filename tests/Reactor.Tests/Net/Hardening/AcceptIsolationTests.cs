using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Net;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// One bad connection never costs the listener (issue 12, scope 2): a connection the reactor cannot
/// take — here for real, select(2) past FD_SETSIZE — is closed and logged, and the port keeps accepting.
/// </summary>
[NonParallelizable]
public sealed class AcceptIsolationTests
{
    [Test]
    public void AnAcceptedDescriptorPastFdSetSizeIsClosedAndTheSelectPortKeepsServing()
    {
        var logger = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = SelectorKind.Select, Logger = logger });
        var served = 0;
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() =>
        {
            served++;
            return new EchoProtocol();
        }), @interface: "127.0.0.1");
        var address = new IPEndPoint(IPAddress.Loopback, NetTesting.PortOf(port));

        // Fill the descriptor table up to FD_SETSIZE, so the next accepted socket lands past it.
        var fillers = new List<Microsoft.Win32.SafeHandles.SafeFileHandle>();
        try
        {
            while (true)
            {
                var handle = File.OpenHandle("/dev/null");
                fillers.Add(handle);
                if ((int)handle.DangerousGetHandle() >= SelectSelector.MaximumDescriptors + 4) break;
            }
            using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            refused.Connect(address);
            reactor.RunUntil(() => ((TcpPort)port).AcceptedConnectionsRefused >= 1, "the refused connection to be closed");
            refused.ReceiveTimeout = 20_000;
            int read;
            try
            {
                read = refused.Receive(new byte[1]);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                read = 0;
            }
            Assert.That(read, Is.Zero, "the refused connection was not closed");
            Assert.That(served, Is.EqualTo(1), "the factory built a protocol; it never heard of the connection otherwise");
            Assert.That(logger.Errors.Count(e => e.Message.Contains("Could not start the connection")), Is.EqualTo(1), "logged once, with its cause");
            Assert.That(logger.Errors.Single(e => e.Message.Contains("Could not start the connection")).Message, Does.Contain("FD_SETSIZE"));
        }
        finally
        {
            foreach (var handle in fillers) handle.Dispose();
        }

        // Descriptors are free again: a fresh client is served by the same port.
        using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        fresh.Connect(address);
        fresh.Send("ping"u8);
        var buffer = new byte[4];
        var got = 0;
        reactor.RunUntil(() =>
        {
            if (fresh.Available > 0) got += fresh.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            return got == 4;
        }, "the fresh client's echo");
        Assert.That(buffer, Is.EqualTo("ping"u8.ToArray()));
    }
}
