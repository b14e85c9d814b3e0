using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>
/// The examples, run as programs and driven by clients nobody here wrote (socat, Python's socket
/// module), as users and scripts will.
/// </summary>
[NonParallelizable]
public sealed class ExampleInteropTests
{
    private const string PythonEchoClient = """
        import socket, sys
        port = int(sys.argv[1]); size = int(sys.argv[2])
        data = bytes(i % 251 for i in range(size))
        s = socket.create_connection(("127.0.0.1", port), timeout=20)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        got = bytearray()
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            got += chunk
        print("ok" if bytes(got) == data else "mismatch %d" % len(got))
        """;

    private const string PythonChatClients = """
        import socket, sys
        port = int(sys.argv[1])
        a = socket.create_connection(("127.0.0.1", port), timeout=20)
        b = socket.create_connection(("127.0.0.1", port), timeout=20)
        fa = a.makefile("rb"); fb = b.makefile("rb")
        # The server learns of b only once b has spoken: make both say something harmless first.
        b.sendall(b"b here\n"); print(fa.readline().decode().rstrip("\n"))
        a.sendall(b"hello from a\r\n"); print(fb.readline().decode().rstrip("\n"))
        b.sendall(b"bye\n"); print(fa.readline().decode().rstrip("\n"))
        """;

    [Test]
    public void EchoTalksToSocatAndHalfCloses()
    {
        var socat = ExternalTool.Require("socat");
        using var echo = ExampleProcess.Start("Echo", "--port", "0");
        Assert.That(echo.FirstLine, Does.Match(@"^Echo listening on 127\.0\.0\.1:\d+$"));

        // socat sends stdin, half-closes at its end, and exits once the server closes.
        var (exitCode, output, error) = ExampleProcess.RunTool(socat, "hello\nworld\n", "-", $"TCP:127.0.0.1:{echo.Port}");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("hello\nworld\n"));
        Assert.That(echo.Terminate(), Is.Zero, "SIGTERM stops the server cleanly");
    }

    [Test]
    public void EchoSendsEverythingBackToPythonBeforeClosing()
    {
        var python = ExternalTool.Require("python3");
        using var echo = ExampleProcess.Start("Echo", "--port", "0", "--selector", "poll");
        var (exitCode, output, error) = ExampleProcess.RunTool(python, "", "-c", PythonEchoClient, echo.Port.ToString(), (4 * 1024 * 1024).ToString());
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output.Trim(), Is.EqualTo("ok"));
    }

    [Test]
    public void ChatRelaysEachLineToTheOthersOnly()
    {
        var python = ExternalTool.Require("python3");
        using var chat = ExampleProcess.Start("Chat", "--port", "0");
        Assert.That(chat.FirstLine, Does.StartWith("Chat listening on 127.0.0.1:"));
        var (exitCode, output, error) = ExampleProcess.RunTool(python, "", "-c", PythonChatClients, chat.Port.ToString());
        Assert.That(exitCode, Is.Zero, error);
        // a's first line is b's greeting, then b's "bye": a never got its own "hello from a" back.
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "b here", "hello from a", "bye" }));
        Assert.That(chat.Terminate(), Is.Zero);
    }

    private const string PythonChatLongLine = """
        import socket, sys
        port = int(sys.argv[1])
        a = socket.create_connection(("127.0.0.1", port), timeout=20)
        b = socket.create_connection(("127.0.0.1", port), timeout=20)
        fa = a.makefile("rb"); fb = b.makefile("rb")
        b.sendall(b"b here\n"); fa.readline()
        a.sendall(b"x" * 5000 + b"\n")
        print(fa.readline().decode().rstrip("\n"))
        print("closed" if fa.read() == b"" else "open")
        a2 = socket.create_connection(("127.0.0.1", port), timeout=20)
        a2.sendall(b"still fine\n"); print(fb.readline().decode().rstrip("\n"))
        """;

    [Test]
    public void ChatDisconnectsAClientWhoseLineIsTooLongAndKeepsTheOthers()
    {
        var python = ExternalTool.Require("python3");
        using var chat = ExampleProcess.Start("Chat", "--port", "0");
        var (exitCode, output, error) = ExampleProcess.RunTool(python, "", "-c", PythonChatLongLine, chat.Port.ToString());
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "error: line too long; the limit is 4096 bytes", "closed", "still fine" }));
    }

    [Test]
    public void PortForwardCarriesBytesAndHalfCloseToTheTarget()
    {
        var socat = ExternalTool.Require("socat");
        using var echo = ExampleProcess.Start("Echo", "--port", "0");
        using var forward = ExampleProcess.Start("PortForward", "--port", "0", "--target", $"127.0.0.1:{echo.Port}");
        Assert.That(forward.FirstLine, Does.StartWith("PortForward listening on 127.0.0.1:"));
        var (exitCode, output, error) = ExampleProcess.RunTool(socat, "through the forwarder\n", "-", $"TCP:127.0.0.1:{forward.Port}");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("through the forwarder\n"));

        var python = ExternalTool.Require("python3");
        var (bulkExit, bulkOutput, bulkError) = ExampleProcess.RunTool(python, "", "-c", PythonEchoClient, forward.Port.ToString(), (8 * 1024 * 1024).ToString());
        Assert.That(bulkExit, Is.Zero, bulkError);
        Assert.That(bulkOutput.Trim(), Is.EqualTo("ok"), "8 MiB both ways through the forwarder");
    }

    [Test]
    public void PortForwardClosesTheClientWhenTheTargetIsUnreachable()
    {
        var socat = ExternalTool.Require("socat");
        // A port bound but not listening: connections to it are refused.
        using var reserved = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        reserved.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var closedPort = ((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port;
        using var forward = ExampleProcess.Start("PortForward", "--port", "0", "--target", $"127.0.0.1:{closedPort}");
        var (exitCode, output, _) = ExampleProcess.RunTool(socat, "", "-", $"TCP:127.0.0.1:{forward.Port}");
        Assert.That(exitCode, Is.Zero, "socat sees a clean close");
        Assert.That(output, Is.Empty);
        Assert.That(forward.Stderr, Does.Contain("cannot reach"));
    }

    [Test]
    public void UnknownSelectorIsAnErrorListingTheValidOnes()
    {
        var (exitCode, _, error) = ExampleProcess.RunTool("dotnet", "", ExampleProcess.PathOf("Echo"), "--selector", "bogus");
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("epoll").And.Contain("poll").And.Contain("select").And.Contain("kqueue"));

        var (helpExit, help, _) = ExampleProcess.RunTool("dotnet", "", ExampleProcess.PathOf("Echo"), "--help");
        Assert.That(helpExit, Is.Zero);
        Assert.That(help, Does.Contain("--port").And.Contain("loopback"));
    }
}
