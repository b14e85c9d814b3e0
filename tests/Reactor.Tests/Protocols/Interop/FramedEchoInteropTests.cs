using System.Diagnostics;
using System.Runtime.CompilerServices;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Protocols.Interop;

/// <summary>
/// The FramedEcho example, run as a process, echoes Twisted's own LineReceiver,
/// Int32StringReceiver and NetstringReceiver (twisted_framing_peer.py in client mode).
/// </summary>
[NonParallelizable]
public class FramedEchoInteropTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [TestCase("line")]
    [TestCase("int32")]
    [TestCase("netstring")]
    public void TwistedClientGetsEveryFrameBack(string framing)
    {
        var python = ExternalTool.RequireTwisted();
        var example = BuiltExample();
        using var server = Start("dotnet", example, "--port", "0", "--framing", framing);
        try
        {
            var firstLine = server.StandardOutput.ReadLineAsync();
            Assert.That(firstLine.Wait(Deadline), Is.True, "FramedEcho printed its first line");
            Assert.That(firstLine.Result, Does.StartWith("FramedEcho listening on 127.0.0.1:"));
            var port = firstLine.Result![(firstLine.Result!.LastIndexOf(':') + 1)..];
            using var client = Start(python, PeerScript(), "client", framing, port);
            try
            {
                Assert.That(client.WaitForExit(Deadline), Is.True, "the Twisted client finished");
                var output = client.StandardOutput.ReadToEnd();
                Assert.That(client.ExitCode, Is.Zero, $"Twisted client: {output} {client.StandardError.ReadToEnd()}");
                Assert.That(output, Does.Contain("OK"));
            }
            finally
            {
                StopByPid(client);
            }
        }
        finally
        {
            StopByPid(server);
        }
    }

    private static string PeerScript([CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "twisted_framing_peer.py");

    /// <summary>examples/FramedEcho built in the test assembly's configuration.</summary>
    private static string BuiltExample()
    {
        var testDir = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testDir))!;
        var root = testDir;
        while (root is not null && !File.Exists(Path.Combine(root, "Reactor.sln"))) root = Path.GetDirectoryName(root);
        Assert.That(root, Is.Not.Null, "the repository root (Reactor.sln) above the test assembly");
        var dll = Path.Combine(root!, "examples", "FramedEcho", "bin", configuration, "net10.0", "FramedEcho.dll");
        if (!File.Exists(dll)) Assert.Ignore($"FramedEcho is not built at {dll} (it is built with Reactor.sln once listed there)");
        return dll;
    }

    private static Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new AssertionException($"{file} did not start");
    }

    private static void StopByPid(Process process)
    {
        if (process.HasExited) return;
        using var term = Process.Start("kill", $"-TERM {process.Id}");
        term.WaitForExit(10_000);
        if (!process.WaitForExit(10_000)) process.Kill();
    }
}
