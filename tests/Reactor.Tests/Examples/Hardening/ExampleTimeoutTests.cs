using System.Net.Sockets;
using System.Text;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples.Hardening;

/// <summary>
/// Issue 12, scopes 4 and 6, through the built examples: Chat and FramedEcho close idle connections
/// after <c>--idle-timeout</c> (named in their --help), and Chat's "line too long" reply reaches a
/// client that is still sending its long line (a lingering close, not an RST).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ExampleTimeoutTests
{
    [Test]
    public void ChatTellsAnIdleClientAndDisconnectsIt()
    {
        using var chat = ExampleProcess.Start("Chat", "--port", "0", "--idle-timeout", "1");
        using var idle = ChildProcessStats.Connect(chat.Port);
        Assert.That(ReadToEnd(idle), Is.EqualTo("error: idle for too long; bye\n"));
    }

    [Test]
    public void ChatKeepsAClientThatTalksAndRelaysToIt()
    {
        using var chat = ExampleProcess.Start("Chat", "--port", "0", "--idle-timeout", "30");
        using var alice = ChildProcessStats.Connect(chat.Port);
        using var bob = ChildProcessStats.Connect(chat.Port);
        // Bob is known to the room once his own line is relayed to Alice.
        bob.Send("bob here\n"u8);
        Assert.That(ReadLine(alice), Is.EqualTo("bob here"));
        alice.Send("hi bob\n"u8);
        Assert.That(ReadLine(bob), Is.EqualTo("hi bob"));
    }

    [Test]
    public void ChatsTooLongReplyReachesAClientStillSendingItsLine()
    {
        using var chat = ExampleProcess.Start("Chat", "--port", "0");
        using var client = ChildProcessStats.Connect(chat.Port);
        // 1 MiB with no newline: the server answers after the first 4 KiB while the rest is still coming.
        // A plain close over that unread input would reset the connection (the send fails with EPIPE or
        // ECONNRESET); the lingering close drains it, sends the reply, then FIN.
        client.Send(new byte[1024 * 1024]);
        client.Shutdown(SocketShutdown.Send);
        Assert.That(ReadToEnd(client), Is.EqualTo("error: line too long; the limit is 4096 bytes\n"));
    }

    [Test]
    public void FramedEchoClosesAnIdleConnectionAfterEchoing()
    {
        using var echo = ExampleProcess.Start("FramedEcho", "--port", "0", "--idle-timeout", "1");
        using var client = ChildProcessStats.Connect(echo.Port);
        client.Send("ping\r\n"u8);
        Assert.That(ReadToEnd(client), Is.EqualTo("ping\r\n"), "the echo, then the close when the connection went idle");
    }

    [TestCase("Chat")]
    [TestCase("FramedEcho")]
    public void TheHelpNamesTheIdleTimeout(string example)
    {
        var (exitCode, output, _) = ExampleProcess.RunTool("dotnet", "", ExampleProcess.PathOf(example), "--help");
        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain("--idle-timeout"));
    }

    /// <summary>Reads until the server closes; a reset fails the test (it is what these reactions avoid).</summary>
    private static string ReadToEnd(Socket socket)
    {
        var all = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0) all.Append(Encoding.ASCII.GetString(buffer, 0, n));
        return all.ToString();
    }

    private static string ReadLine(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (socket.Receive(one) == 1 && one[0] != (byte)'\n') line.Append((char)one[0]);
        return line.ToString();
    }
}
