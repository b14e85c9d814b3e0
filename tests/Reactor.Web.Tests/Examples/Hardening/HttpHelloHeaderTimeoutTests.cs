using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Reactor.Web.Tests.Examples.Hardening;

/// <summary>
/// Issue 12, scope 4: HttpHello's header timeout is an option (<c>--header-timeout</c>, in its
/// --help); a client that starts a request and stalls before its headers end gets 408 and is
/// disconnected, while a normal client is served.
/// </summary>
[NonParallelizable]
public sealed class HttpHelloHeaderTimeoutTests
{
    [Test]
    public void AClientThatStallsInItsHeadersGets408AndIsDisconnected()
    {
        using var server = ExampleProcess.StartServer("HttpHello", "--port", "0", "--header-timeout", "1");
        using var stalled = Connect(server.Port);
        stalled.Send("GET / HTTP/1.1\r\nHost: x\r\n"u8); // the blank line that ends the head never comes

        using (var normal = Connect(server.Port))
        {
            normal.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8);
            Assert.That(ReadToEnd(normal), Does.StartWith("HTTP/1.1 200").And.EndWith("Hello, World!"));
        }
        Assert.That(ReadToEnd(stalled), Does.StartWith("HTTP/1.1 408"), "the stalled client is told, then closed");
    }

    [Test]
    public void TheHelpNamesTheOption()
    {
        using var process = System.Diagnostics.Process.Start(ExampleProcess.Info("HttpHello", "--help"))!;
        var help = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(30_000), Is.True);
        Assert.That(help, Does.Contain("--header-timeout"));
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>Reads until the server closes (bounded by the receive timeout).</summary>
    private static string ReadToEnd(Socket socket)
    {
        var all = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0) all.Append(Encoding.ASCII.GetString(buffer, 0, n));
        return all.ToString();
    }
}
