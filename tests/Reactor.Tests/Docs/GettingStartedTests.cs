namespace Reactor.Tests.Docs;

/// <summary>The programs docs/getting-started.md shows whole: each one built and run as a user would run it.</summary>
public class GettingStartedTests
{
    [Test]
    public void TheEchoServerAnswersBothClientsAndStopsCleanlyOnSigterm()
    {
        var (server, firstLine) = DocsProgram.Start("GettingStarted/EchoServer", "0");
        try
        {
            Assert.That(firstLine, Does.Match(@"^Echo server on 127\.0\.0\.1:\d+; Ctrl-C stops it$"));
            var port = firstLine.Split(':')[1].Split(';')[0];

            var (exitCode, output, error) = DocsProgram.Run("GettingStarted/EchoClient", port);
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output, Is.EqualTo("hello, reactor\n"));

            (exitCode, output, error) = DocsProgram.Run("GettingStarted/EchoClientAwait", port);
            Assert.That(exitCode, Is.Zero, error);
            Assert.That(output, Is.EqualTo("hello -> hello\nreactor -> reactor\n"));
            Assert.That(error, Is.Empty);
        }
        finally
        {
            // The default handlers turn SIGTERM into the reactor's shutdown: exit code 0, not 143.
            Assert.That(DocsProgram.Terminate(server), Is.Zero);
            server.Dispose();
        }
    }

    [Test]
    public void TheClientsReportARefusedConnection()
    {
        using var reserved = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        reserved.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)); // bound, not listening: refused
        var port = ((System.Net.IPEndPoint)reserved.LocalEndPoint!).Port.ToString();

        var (_, output, error) = DocsProgram.Run("GettingStarted/EchoClient", port);
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("cannot connect").And.Contain("refused"));

        (_, output, error) = DocsProgram.Run("GettingStarted/EchoClientAwait", port);
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("failed").And.Contain("refused"));
    }
}
