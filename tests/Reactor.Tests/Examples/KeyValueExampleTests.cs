using System.Net;
using System.Net.Sockets;
using System.Text;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples;

/// <summary>
/// The KeyValue example run as a program: its commands over a real socket, the line limit, the idle
/// timeout, the LoopingCall report on stderr; and the AwaitClient example talking to it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class KeyValueExampleTests
{
    /// <summary>A blocking line client over loopback; every read is bounded by the suite's deadline.</summary>
    private sealed class Client : IDisposable
    {
        private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)NetTesting.Deadline.TotalMilliseconds };
        private readonly StreamReader _reader;

        public Client(int port)
        {
            _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            _reader = new StreamReader(new NetworkStream(_socket), Encoding.UTF8);
        }

        public string? Ask(string line)
        {
            Send(line + "\r\n");
            return _reader.ReadLine();
        }

        public void Send(string text) => _socket.Send(Encoding.UTF8.GetBytes(text));

        public string? ReadLine() => _reader.ReadLine();

        public void Dispose() => _socket.Dispose();
    }

    [Test]
    public void CommandsSetGetAndDeleteKeysSharedByEveryConnection()
    {
        using var server = ExampleProcess.Start("KeyValue", "--port", "0");
        Assert.That(server.FirstLine, Does.Match(@"^KeyValue listening on 127\.0\.0\.1:\d+$"));
        using var first = new Client(server.Port);
        using var second = new Client(server.Port);

        Assert.That(first.Ask("SET greeting hello there"), Is.EqualTo("OK"));
        Assert.That(second.Ask("GET greeting"), Is.EqualTo("VALUE hello there"), "values may hold spaces; the store is shared");
        Assert.That(second.Ask("DEL greeting"), Is.EqualTo("DELETED"));
        Assert.That(first.Ask("GET greeting"), Is.EqualTo("NOT_FOUND"));
        Assert.That(first.Ask("FLY away"), Does.StartWith("ERROR "));
        Assert.That(first.Ask("QUIT"), Is.EqualTo("BYE"));
        Assert.That(first.ReadLine(), Is.Null, "closed after BYE");
        Assert.That(server.Terminate(), Is.Zero, "SIGTERM stops the server cleanly");
    }

    [Test]
    public void ALineOverTheLimitIsRefusedAndOnlyThatClientIsClosed()
    {
        using var server = ExampleProcess.Start("KeyValue", "--port", "0");
        using var offender = new Client(server.Port);
        using var bystander = new Client(server.Port);
        offender.Send("SET big " + new string('x', 2000) + "\n");
        Assert.That(offender.ReadLine(), Is.EqualTo("ERROR line longer than 1024 bytes"));
        Assert.That(offender.ReadLine(), Is.Null);
        Assert.That(bystander.Ask("SET small ok"), Is.EqualTo("OK"));
    }

    [Test]
    public void ANewKeyBeyondMaxKeysIsRefused()
    {
        using var server = ExampleProcess.Start("KeyValue", "--port", "0", "--max-keys", "1");
        using var client = new Client(server.Port);
        Assert.That(client.Ask("SET a 1"), Is.EqualTo("OK"));
        Assert.That(client.Ask("SET b 2"), Is.EqualTo("ERROR full (1 keys)"));
        Assert.That(client.Ask("SET a 3"), Is.EqualTo("OK"), "an existing key may change");
    }

    [Test]
    public void ASilentClientIsToldByeAndDisconnectedAndTheReportCountsIt()
    {
        using var server = ExampleProcess.Start("KeyValue", "--port", "0", "--idle-timeout", "0.5", "--report", "0.2");
        using var active = new Client(server.Port);
        Assert.That(active.Ask("SET k v"), Is.EqualTo("OK"));
        using var silent = new Client(server.Port);
        Assert.That(silent.ReadLine(), Is.EqualTo("BYE idle"));
        Assert.That(silent.ReadLine(), Is.Null);

        static string? IdleReport(string stderr) => stderr.Split('\n').Select(line => line.TrimEnd('\r'))
            .FirstOrDefault(line => line.Contains("closed idle") && !line.EndsWith(" 0 closed idle", StringComparison.Ordinal));
        server.WaitForStderr(stderr => IdleReport(stderr) is not null, "a report counting the idle close");
        Assert.That(IdleReport(server.Stderr), Does.Match(@"^KeyValue: 1 keys, \d+ connections, \d+ commands since last report, [12] closed idle$"));
    }

    [Test]
    public void TheAwaitClientSendsEachLineAndPrintsEachReply()
    {
        using var server = ExampleProcess.Start("KeyValue", "--port", "0");
        var (exitCode, output, error) = ExampleProcess.RunTool("dotnet", "",
            ExampleProcess.PathOf("AwaitClient"), "--port", server.Port.ToString(), "SET greeting hello", "GET greeting", "GET nothing");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(output, Is.EqualTo("OK\nVALUE hello\nNOT_FOUND\n"));
    }

    [Test]
    public void TheAwaitClientReportsARefusedConnection()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var (exitCode, output, error) = ExampleProcess.RunTool("dotnet", "", ExampleProcess.PathOf("AwaitClient"), "--port", port.ToString(), "GET x");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith("AwaitClient: cannot connect:"));
    }

    [Test]
    public void TheAwaitClientReportsAServerThatClosesBeforeReplying()
    {
        using var server = ExampleProcess.Start("KeyValue", "--port", "0");
        var (exitCode, output, error) = ExampleProcess.RunTool("dotnet", "", ExampleProcess.PathOf("AwaitClient"), "--port", server.Port.ToString(), "QUIT", "GET x");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Is.EqualTo("BYE\n"));
        Assert.That(error, Does.Contain("closed the connection before replying"));
    }
}
