using System.Net.Sockets;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples.Hardening;

/// <summary>
/// Issue 12's first reproduction, against the built example: a client sends 1 KiB lines to
/// <c>FramedEcho --framing line</c> and never reads. FramedEcho registers no producer, so before the
/// bounded output the server read everything and queued every echo (RSS 30 → 285 MiB after 256 MiB).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class NonReadingClientTests
{
    private const long Budget = 256L * 1024 * 1024;
    private const long AllowedGrowthKiB = 64 * 1024;

    [Test]
    public void FramedEchoStopsReadingFromALineClientThatNeverReadsAndItsRssStaysBounded()
    {
        using var echo = ExampleProcess.Start("FramedEcho", "--port", "0", "--framing", "line");
        // Warm up (JIT, buffers) on a client that does read, so the baseline is the steady state.
        using (var warm = ChildProcessStats.Connect(echo.Port))
        {
            warm.Send("warm up\r\n"u8);
            Assert.That(ChildProcessStats.Echoes(warm, (byte)'w'), Is.True);
        }
        var before = ChildProcessStats.RssKiB(echo.Id);

        using var client = ChildProcessStats.Connect(echo.Port);
        client.Blocking = false;
        var line = new byte[1024];
        Array.Fill(line, (byte)'x');
        line[^2] = (byte)'\r';
        line[^1] = (byte)'\n';
        long sent = 0;
        var offset = 0;
        // Send until the server stops taking bytes (both kernels' buffers full) or the budget is spent.
        // "Stops" = not writable for two seconds: a server still reading drains the buffers far sooner.
        while (sent < Budget)
        {
            try
            {
                var n = client.Send(line, offset, line.Length - offset, SocketFlags.None);
                sent += n;
                offset = (offset + n) % line.Length;
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.WouldBlock)
            {
                if (!client.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectWrite)) break;
            }
        }
        var after = ChildProcessStats.RssKiB(echo.Id);
        TestContext.Out.WriteLine($"sent {sent / 1024} KiB before the server stopped reading; RSS {before} KiB -> {after} KiB");
        Assert.That(sent, Is.LessThan(Budget), "the server stopped reading from a client that does not read its echoes");
        Assert.That(after - before, Is.LessThanOrEqualTo(AllowedGrowthKiB), "server RSS grew by at most 64 MiB");
        Assert.That(echo.Process.HasExited, Is.False);
    }
}
