using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Processes;
using Reactor.Tests.Core;
using Reactor.Tests.Net;
using Reactor.Tests.Net.Processes;

namespace Reactor.Tests.Examples;

/// <summary>
/// The process examples run as child processes: Exec and StdioLines through SpawnProcess itself
/// (pipes, a file, /dev/null and a pseudo-terminal as their stdin), ThreadedEcho and PreforkEcho
/// as servers a test connects to.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessExamplesTests : ProcessFixture
{
    private RecordingProcessProtocol RunExample(string name, string[] arguments, string? input = null, IReadOnlyDictionary<int, ChildFd>? childFds = null, bool usePty = false)
    {
        var protocol = new RecordingProcessProtocol();
        var transport = Loop.SpawnProcess(protocol, "dotnet", ["dotnet", ExampleProcess.PathOf(name), .. arguments], childFds: childFds, usePty: usePty);
        if (input is not null)
        {
            transport.Write(Encoding.UTF8.GetBytes(input));
            if (!usePty) transport.CloseStdin();
        }
        Loop.RunUntil(() => protocol.IsEnded, $"{name} ends");
        return protocol;
    }

    private static int? ExitCode(RecordingProcessProtocol protocol) => protocol.EndedReason!.Value switch
    {
        ProcessTerminated t => t.ExitCode,
        _ => 0,
    };

    [Test]
    public void ExecCopiesTheChildsStreamsAndExitsWithItsCode()
    {
        var protocol = RunExample("Exec", ["--stderr-prefix", "[err] ", "--", "sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 7"]);
        Assert.Multiple(() =>
        {
            Assert.That(protocol.Text(1), Is.EqualTo("out1\nout2\n"), "stdout unchanged");
            Assert.That(protocol.Text(2), Is.EqualTo("[err] err1\n"), "stderr prefixed per line");
            Assert.That(ExitCode(protocol), Is.EqualTo(7));
        });
    }

    [Test]
    public void ExecPassesItsStdinAndReportsASignalAs128PlusN()
    {
        var cat = RunExample("Exec", ["cat"], input: "through exec\n");
        Assert.That(cat.Text(1), Is.EqualTo("through exec\n"));
        var killed = RunExample("Exec", ["--", "sh", "-c", "kill -KILL $$"]);
        Assert.That(ExitCode(killed), Is.EqualTo(128 + 9));
    }

    [Test]
    public void ExecForwardsSigtermToTheChild()
    {
        var protocol = new RecordingProcessProtocol();
        var exec = Loop.SpawnProcess(protocol, "dotnet", ["dotnet", ExampleProcess.PathOf("Exec"), "--", "sh", "-c", "echo ready; exec sleep 60"]);
        Loop.RunUntil(() => protocol.Text(1).Contains("ready"), "the child runs");
        exec.SignalProcess("TERM");
        Loop.RunUntil(() => protocol.IsEnded, "Exec ends with its child");
        Assert.That(ExitCode(protocol), Is.EqualTo(128 + 15), "the child was terminated by SIGTERM, passed on");
    }

    [Test]
    public void ExecOfAMissingProgramExits127WithAMessage()
    {
        var protocol = RunExample("Exec", ["no-such-program-for-exec"]);
        Assert.That(ExitCode(protocol), Is.EqualTo(127));
        Assert.That(protocol.Text(2), Does.Contain("no-such-program-for-exec"));
    }

    [Test]
    public void StdioLinesNumbersLinesFromAPipe()
    {
        var protocol = RunExample("StdioLines", [], input: "alpha\r\nbeta\ngamma");
        Assert.That(protocol.Text(1), Is.EqualTo("     1\talpha\n     2\tbeta\n     3\tgamma\n3 lines\n"));
        Assert.That(ExitCode(protocol), Is.Zero);
    }

    [Test]
    public void StdioLinesReadsARegularFileAndDevNull()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, string.Concat(Enumerable.Range(1, 5000).Select(i => $"line {i}\n")));
            using var file = File.OpenHandle(path);
            var fromFile = RunExample("StdioLines", ["--upper"], childFds: new Dictionary<int, ChildFd>
            {
                [0] = ChildFd.Inherit((int)file.DangerousGetHandle()),
                [1] = ChildFd.ReadFromChild,
                [2] = ChildFd.ReadFromChild,
            });
            var lines = fromFile.Text(1).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines, Has.Length.EqualTo(5001));
            Assert.That(lines[4999], Is.EqualTo("LINE 5000"));
            Assert.That(lines[^1], Is.EqualTo("5000 lines"));
        }
        finally
        {
            File.Delete(path);
        }
        using var devNull = File.OpenHandle("/dev/null");
        var empty = RunExample("StdioLines", [], childFds: new Dictionary<int, ChildFd>
        {
            [0] = ChildFd.Inherit((int)devNull.DangerousGetHandle()),
            [1] = ChildFd.ReadFromChild,
        });
        Assert.That(empty.Text(1), Is.EqualTo("0 lines\n"));
    }

    [Test]
    public void StdioLinesWorksOnATerminal()
    {
        // A line, then the terminal's end-of-file character (^D at the start of a line).
        var protocol = RunExample("StdioLines", ["--upper"], input: "on a tty\n\u0004", usePty: true);
        Assert.Multiple(() =>
        {
            Assert.That(protocol.Text(1), Does.Contain("ON A TTY\r\n"));
            Assert.That(protocol.Text(1), Does.Contain("1 lines"));
            Assert.That(ExitCode(protocol), Is.Zero);
        });
    }

    private static byte[] EchoOnce(int port, string message)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
        socket.Connect(IPAddress.Loopback, port);
        socket.Send(Encoding.ASCII.GetBytes(message));
        socket.Shutdown(SocketShutdown.Send);
        var result = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0) result.Write(buffer, 0, n);
        return result.ToArray();
    }

    [Test]
    public void ThreadedEchoKeepsEchosContract()
    {
        using var server = ExampleProcess.Start("ThreadedEcho", "--port", "0", "--workers", "4");
        Assert.That(server.FirstLine, Does.Match(@"^ThreadedEcho listening on 127\.0\.0\.1:\d+$"));
        var clients = Enumerable.Range(0, 20).Select(i => Task.Run(() => Encoding.ASCII.GetString(EchoOnce(server.Port, $"message {i}")))).ToArray();
        Task.WaitAll(clients, NetTesting.Deadline);
        for (var i = 0; i < clients.Length; i++) Assert.That(clients[i].Result, Is.EqualTo($"message {i}"));
        Assert.That(server.Terminate(), Is.Zero, "SIGTERM stops it cleanly");
    }

    [Test]
    public void PreforkEchoSpreadsConnectionsRestartsAKilledWorkerAndLosesNoOtherConnection()
    {
        using var server = ExampleProcess.Start("PreforkEcho", "--port", "0", "--workers", "4", "--max-connections", "2", "--report");
        Assert.That(server.FirstLine, Does.Match(@"^PreforkEcho listening on 127\.0\.0\.1:\d+$"));
        var started = new Regex(@"worker (\d+) started \(pid (\d+)\)");
        var accepted = new Regex(@"worker (\d+) \(pid (\d+)\): connection from 127\.0\.0\.1:(\d+)");
        server.WaitForStderr(e => started.Matches(e).Count == 4, "four workers start");

        // Spread: a worker holding --max-connections pauses its port, so the kernel hands the next
        // clients to the others. Eight held connections on four workers capped at two: two each.
        var held = new List<(Socket Socket, string LocalPort)>();
        for (var i = 0; i < 8; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
            socket.Connect(IPAddress.Loopback, server.Port);
            held.Add((socket, ((IPEndPoint)socket.LocalEndPoint!).Port.ToString()));
        }
        server.WaitForStderr(e => accepted.Matches(e).Count == 8, "all eight connections are reported");
        var workerOf = accepted.Matches(server.Stderr).ToDictionary(m => m.Groups[3].Value, m => m.Groups[2].Value);
        var counts = held.GroupBy(h => workerOf[h.LocalPort]).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Out.WriteLine("connections per worker pid: " + string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}")));
        Assert.That(counts.Values, Is.EqualTo(new[] { 2, 2, 2, 2 }), "each of the four workers holds two connections");
        foreach (var (socket, localPort) in held) Assert.That(RoundTrip(socket, $"ping {localPort}"), Is.EqualTo($"ping {localPort}"), "every held connection echoes");

        // Kill one worker: its two connections die with it; it is replaced; the others' six live on.
        var victim = workerOf[held[0].LocalPort];
        using (var kill = System.Diagnostics.Process.Start("kill", $"-KILL {victim}")) kill.WaitForExit(10_000);
        server.WaitForStderr(e => started.Matches(e).Count == 5 && e.Contains($"(pid {victim}) ended"), "the killed worker is replaced");
        foreach (var (socket, localPort) in held.Where(h => workerOf[h.LocalPort] != victim))
        {
            socket.Send("still here"u8.ToArray());
            socket.Shutdown(SocketShutdown.Send);
            Assert.That(Encoding.ASCII.GetString(ReadToEnd(socket)), Is.EqualTo("still here"), $"a connection on worker {workerOf[localPort]} survives");
        }
        foreach (var (socket, _) in held) socket.Dispose();
        Assert.That(EchoOnce(server.Port, "after"), Is.EqualTo("after"u8.ToArray()), "new connections are served");
        Assert.That(server.Terminate(), Is.Zero, "SIGTERM stops the workers, then the parent");
        foreach (Match m in started.Matches(server.Stderr))
        {
            Assert.That(IsPreforkEchoRunning(int.Parse(m.Groups[2].Value)), Is.False, $"worker pid {m.Groups[2].Value} is gone");
        }
    }

    /// <summary>Sends <paramref name="message"/> on a held connection and reads exactly its length back.</summary>
    private static string RoundTrip(Socket socket, string message)
    {
        socket.Send(Encoding.ASCII.GetBytes(message));
        var buffer = new byte[message.Length];
        var total = 0;
        int n;
        while (total < buffer.Length && (n = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None)) > 0) total += n;
        return Encoding.ASCII.GetString(buffer, 0, total);
    }

    private static byte[] ReadToEnd(Socket socket)
    {
        var result = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0) result.Write(buffer, 0, n);
        return result.ToArray();
    }

    private static bool IsPreforkEchoRunning(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("PreforkEcho") && ProcessTesting.ProcState(pid) is { State: not 'Z' };
        }
        catch (IOException)
        {
            return false;
        }
    }
}
