using Reactor.Core;
using Reactor.Docs.Samples.Guides.Unix;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/unix.md: peer credentials and a descriptor handed over a real UNIX socket.</summary>
public class UnixGuideTests
{
    [Test]
    public void TheClientLearnsItsUidAndReadsTheFileThroughTheDescriptor()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("SO_PEERCRED is read this way on Linux; see docs/guides/unix.md for macOS");
        var directory = Directory.CreateTempSubdirectory("reactor-unix-guide-");
        try
        {
            var file = Path.Combine(directory.FullName, "secret.txt");
            File.WriteAllText(file, "the contents");
            var socketPath = Path.Combine(directory.FullName, "s");
            using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
            (string Text, string File)? outcome = null;
            var port = UnixSamples.ServeAndFetch(reactor, socketPath, file, (text, contents) => outcome = (text, contents));
            reactor.RunUntil(() => outcome is not null, "the UNIX client to finish");
            Assert.That(outcome!.Value.Text, Is.EqualTo($"uid {GetUid()}\n"));
            Assert.That(outcome.Value.File, Is.EqualTo("the contents"));
            Assert.That(File.GetUnixFileMode(socketPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            port.StopListening();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string GetUid()
    {
        // /proc/self/status: "Uid:\treal\teffective\t..."
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2];
    }
}
