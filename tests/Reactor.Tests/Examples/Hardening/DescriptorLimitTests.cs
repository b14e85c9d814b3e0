using System.Diagnostics;
using System.Net.Sockets;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples.Hardening;

/// <summary>
/// Issue 12's fourth reproduction, in a real process: <c>Echo</c> run under
/// <c>prlimit --nofile=256</c> with 300 clients. Before the fix the process died (SIGABRT): the
/// stderr logger opened stderr lazily, that open failed with EMFILE inside the loop's own failure
/// logging, and the exception escaped Run. Now accept() failing with EMFILE pauses accepting (no busy
/// loop), the message reaches stderr, and the port resumes when descriptors are freed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DescriptorLimitTests
{
    private const int Clients = 300;
    private const int Leaving = 100;
    private const int MakeRoom = 20;

    [Test]
    public void EchoAtItsDescriptorLimitStaysUpIdlesAndServesEveryClientOnceDescriptorsAreFreed()
    {
        var prlimit = ExternalTool.Require("prlimit");
        using var echo = ExampleProcess.StartUnder([prlimit, "--nofile=256:256", "--"], "Echo", "--port", "0");
        var baselineSockets = ChildProcessStats.Sockets(echo.Id);
        var clients = new List<Socket>();
        try
        {
            // The kernel completes every connection into the backlog; the server accepts until it has no descriptor left.
            for (var i = 0; i < Clients; i++)
            {
                var client = ChildProcessStats.Connect(echo.Port);
                client.Send([(byte)'a']);
                clients.Add(client);
            }
            echo.WaitForStderr(e => e.Contains("pausing accepting"), "accept() failing with EMFILE (\"Too many open files\"), logged on stderr");

            // At the limit: alive, and no busy loop (accepting is retried every 100 ms, not spun).
            var cpuBefore = ChildProcessStats.CpuTime(echo.Id);
            var wall = Stopwatch.StartNew();
            Assert.That(echo.Process.WaitForExit(3000), Is.False, "the process stays alive at its descriptor limit");
            var share = (ChildProcessStats.CpuTime(echo.Id) - cpuBefore) / wall.Elapsed;
            TestContext.Out.WriteLine($"CPU at the limit: {share:P1} of one core over {wall.Elapsed.TotalSeconds:F1} s");
            Assert.That(share, Is.LessThanOrEqualTo(0.20), "at most 20 % of a core while at the limit");

            // Accepted in connection order: the first ones are served, the rest wait in the backlog.
            var accepted = ChildProcessStats.Sockets(echo.Id) - baselineSockets;
            var firstWaiting = clients[accepted];
            TestContext.Out.WriteLine($"at the limit: {accepted} clients accepted, {Clients - accepted} waiting in the backlog");

            // 100 clients leave: accepting resumes and the first client that waited is served.
            foreach (var leaving in clients.Take(Leaving)) leaving.Dispose();
            var freed = Stopwatch.StartNew();
            Assert.That(ChildProcessStats.Echoes(firstWaiting, (byte)'a'), Is.True, "accepting resumes once descriptors are freed");
            TestContext.Out.WriteLine($"the first waiting client was served {freed.Elapsed.TotalMilliseconds:F0} ms after {Leaving} clients left");

            // The runtime holds about 55 descriptors of its own (two per loaded assembly), so 200
            // clients plus a fresh one do not fit under 256: 20 more leave to make room.
            foreach (var leaving in clients.Skip(Leaving).Take(MakeRoom)) leaving.Dispose();
            using var fresh = ChildProcessStats.Connect(echo.Port);
            fresh.Send([(byte)'f']);
            Assert.That(ChildProcessStats.Echoes(fresh, (byte)'f'), Is.True, "a fresh client is served");

            // Every remaining client, accepted before the limit or from the backlog after it, gets its byte back.
            var remaining = clients.Skip(Leaving + MakeRoom).Where(c => c != firstWaiting).ToList();
            var unserved = remaining.Count(client => !ChildProcessStats.Echoes(client, (byte)'a'));
            Assert.That(unserved, Is.Zero, "every remaining client is served");
            Assert.That(echo.Process.HasExited, Is.False);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }
}
