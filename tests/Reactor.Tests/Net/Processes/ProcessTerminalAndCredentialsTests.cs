using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Processes;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Processes;

/// <summary>usePty (a child on its own pseudo-terminal) and uid/gid (a child under another identity).</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessTerminalAndCredentialsTests(SelectorKind kind) : ProcessFixture(kind)
{
    [Test]
    public void ChildOnAPseudoTerminalSeesATerminalAndItsOutputArrivesAsDescriptorOne()
    {
        var protocol = new RecordingProcessProtocol();
        Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "tty; test -t 0 && test -t 1 && test -t 2 && echo all-terminals; exec 3</dev/tty && echo has-controlling-terminal"], usePty: true);
        Loop.RunUntil(() => protocol.IsEnded, "sh on a terminal ends");
        var output = protocol.Text(1);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.StartWith("/dev/pts/"));
            Assert.That(output, Does.Contain("all-terminals"));
            Assert.That(output, Does.Contain("\r\n"), "the terminal's line discipline turns \\n into \\r\\n");
            Assert.That(output, Does.Contain("has-controlling-terminal"), "/dev/tty opens only for a process with a controlling terminal");
            Assert.That(protocol.ExitedReason!.Value, Is.TypeOf<ProcessDone>());
        });
    }

    [Test]
    public void WritesToATerminalChildAreItsInput()
    {
        var protocol = new RecordingProcessProtocol();
        var transport = Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "read line; echo \"got:$line\""], usePty: true);
        transport.Write("hello\n"u8);
        Loop.RunUntil(() => protocol.IsEnded, "sh reads a line and ends");
        // The terminal echoes the input, then the reply follows.
        Assert.That(protocol.Text(1), Does.Contain("got:hello"));
    }

    [Test]
    public void ChildRunsAsTheGivenUserAndGroup()
    {
        if (Environment.UserName != "root" && !File.ReadAllText("/proc/self/status").Contains("CapEff:\t000001ffffffffff"))
        {
            // Without the privilege the spawn is refused with a clear error.
            Assert.That(() => Loop.SpawnProcess(new RecordingProcessProtocol(), "id", uid: 65534, gid: 65534),
                Throws.InstanceOf<ProcessSpawnError>().With.Message.Contains("root"));
            return;
        }
        var protocol = new RecordingProcessProtocol();
        Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "id -u; id -g; id -G"], uid: 65534, gid: 65533);
        Loop.RunUntil(() => protocol.IsEnded, "id ends");
        Assert.That(protocol.Text(1), Is.EqualTo("65534\n65533\n65533\n"));
        // Only the child changed identity: this process still is who it was.
        Assert.That(File.ReadAllText("/proc/self/status"), Does.Match(@"Uid:\s+0\s+0\s+0\s+0"));
    }
}
