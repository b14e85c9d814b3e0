using System.Net;
using System.Net.Sockets;
using System.Text;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples;

/// <summary>
/// FramedEcho's line framing is Twisted's LineReceiver: CRLF by default (--delimiter lf switches),
/// --max-length meaning MAX_LENGTH (the longest line accepted, delimiter not counted). Mirrors
/// twisted/test/test_protocols.py LineReceiverTests.test_maximumLineLength* through the example.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FramedEchoExampleTests
{
    [Test]
    public void ALineOfExactlyMaxLengthComesBackAndALoneLfIsPartOfTheLine()
    {
        using var echo = ExampleProcess.Start("FramedEcho", "--port", "0", "--max-length", "1024");
        using var client = Connect(echo.Port);
        var atLimit = new string('a', 1024) + "\r\n";
        var withLoneLf = "one\ntwo\r\n";
        Send(client, atLimit + withLoneLf);
        Assert.That(Receive(client, atLimit.Length + withLoneLf.Length), Is.EqualTo(atLimit + withLoneLf));
    }

    [Test]
    public void ALineOneByteOverMaxLengthClosesThatConnectionOnly()
    {
        using var echo = ExampleProcess.Start("FramedEcho", "--port", "0", "--max-length", "1024");
        using var other = Connect(echo.Port);
        using var client = Connect(echo.Port);
        Send(client, new string('b', 1025) + "\r\n");
        Assert.That(ReadToEnd(client), Is.Empty, "the server closes without echoing");
        Send(other, "still here\r\n");
        Assert.That(Receive(other, 12), Is.EqualTo("still here\r\n"));
        Assert.That(echo.Terminate(), Is.Zero, "SIGTERM stops the server cleanly");
        echo.Process.WaitForExit(); // it has exited: this only drains the redirected stderr
        Assert.That(echo.Stderr, Does.Contain("a line longer than 1024 bytes"));
    }

    [Test]
    public void DelimiterLfSplitsOnLfAndKeepsACrInTheLine()
    {
        using var echo = ExampleProcess.Start("FramedEcho", "--port", "0", "--delimiter", "lf");
        using var client = Connect(echo.Port);
        Send(client, "plain\nwith cr\r\n");
        Assert.That(Receive(client, 15), Is.EqualTo("plain\nwith cr\r\n"));
    }

    [Test]
    public void AnUnknownDelimiterIsRefusedWithTheChoices()
    {
        var (exitCode, error) = ExampleProcess.RunToExit("FramedEcho", "--delimiter", "cr");
        Assert.That(exitCode, Is.Not.Zero);
        Assert.That(error, Does.Contain("--delimiter must be crlf or lf, not 'cr'"));
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)NetTesting.Deadline.TotalMilliseconds,
            SendTimeout = (int)NetTesting.Deadline.TotalMilliseconds,
        };
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    private static void Send(Socket socket, string text) => socket.Send(Encoding.ASCII.GetBytes(text));

    /// <summary>Reads exactly <paramref name="count"/> bytes (bounded by the socket's receive timeout).</summary>
    private static string Receive(Socket socket, int count)
    {
        var buffer = new byte[count];
        var got = 0;
        while (got < count)
        {
            var n = socket.Receive(buffer, got, count - got, SocketFlags.None);
            if (n == 0) break;
            got += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, got);
    }

    private static string ReadToEnd(Socket socket)
    {
        var all = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0) all.Append(Encoding.ASCII.GetString(buffer, 0, n));
        return all.ToString();
    }
}
