using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Processes;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Processes;

/// <summary>SpawnProcess against real programs: exit codes, signals, callbacks, environment, errors.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnProcessTests(SelectorKind kind) : ProcessFixture(kind)
{
    private RecordingProcessProtocol Run(string executable, IReadOnlyList<string>? argv = null, Action<IProcessTransport>? started = null)
    {
        var protocol = new RecordingProcessProtocol();
        var transport = Loop.SpawnProcess(protocol, executable, argv);
        started?.Invoke(transport);
        Loop.RunUntil(() => protocol.IsEnded, $"{executable} ends");
        return protocol;
    }

    [Test]
    public void ExitCodeThreeIsProcessTerminatedWithThatCode()
    {
        var protocol = Run("sh", ["sh", "-c", "exit 3"]);
        var exited = protocol.ExitedReason!.Value as ProcessTerminated;
        var ended = protocol.EndedReason!.Value as ProcessTerminated;
        Assert.Multiple(() =>
        {
            Assert.That(exited, Is.Not.Null);
            Assert.That(exited!.ExitCode, Is.EqualTo(3));
            Assert.That(exited.Signal, Is.Null);
            Assert.That(ended!.ExitCode, Is.EqualTo(3));
            Assert.That(protocol.Events[0], Is.EqualTo("ConnectionMade"));
            Assert.That(protocol.Events[^1], Is.EqualTo("ProcessEnded"));
        });
    }

    [Test]
    public void ExitCodeZeroIsProcessDone()
    {
        var protocol = Run("true");
        Assert.That(protocol.ExitedReason!.Value, Is.TypeOf<ProcessDone>());
        Assert.That(protocol.EndedReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void KilledChildIsProcessTerminatedWithSignalNine()
    {
        IProcessTransport? transport = null;
        var protocol = Run("sleep", ["sleep", "60"], t =>
        {
            transport = t;
            Assert.That(t.Pid, Is.Positive);
            t.SignalProcess("KILL");
        });
        var reason = (ProcessTerminated)protocol.ExitedReason!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(reason.Signal, Is.EqualTo(9));
            Assert.That(reason.ExitCode, Is.Null);
            Assert.That(transport!.Pid, Is.Null, "Pid is cleared once the child is reaped");
            Assert.That(() => transport.SignalProcess("TERM"), Throws.TypeOf<ProcessExitedAlready>());
        });
    }

    [Test]
    public void SignalNamesAcceptTheSigPrefixAndRejectUnknownNames()
    {
        var protocol = Run("sleep", ["sleep", "60"], t =>
        {
            Assert.That(() => t.SignalProcess("NOSUCHSIGNAL"), Throws.ArgumentException);
            t.SignalProcess("SIGTERM");
        });
        Assert.That(((ProcessTerminated)protocol.ExitedReason!.Value).Signal, Is.EqualTo(15));
    }

    [Test]
    public void StdoutAndStderrArriveSeparatelyAndEveryPipeClosesBeforeProcessEnded()
    {
        var protocol = Run("sh", ["sh", "-c", "echo out; echo err >&2"]);
        Assert.Multiple(() =>
        {
            Assert.That(protocol.Text(1), Is.EqualTo("out\n"));
            Assert.That(protocol.Text(2), Is.EqualTo("err\n"));
            Assert.That(protocol.Events, Does.Contain("OutConnectionLost"));
            Assert.That(protocol.Events, Does.Contain("ErrConnectionLost"));
            Assert.That(protocol.Events, Does.Contain("InConnectionLost"));
            Assert.That(protocol.Events[^1], Is.EqualTo("ProcessEnded"));
            Assert.That(protocol.Events.Count(e => e == "ProcessExited"), Is.EqualTo(1));
        });
    }

    [Test]
    public void CloseStdinGivesTheChildEndOfFile()
    {
        var protocol = Run("cat", null, t =>
        {
            t.Write("hello\n"u8);
            t.CloseStdin();
        });
        Assert.That(protocol.Text(1), Is.EqualTo("hello\n"));
        Assert.That(protocol.ExitedReason!.Value, Is.TypeOf<ProcessDone>());
        Assert.That(protocol.Events.IndexOf("InConnectionLost"), Is.LessThan(protocol.Events.IndexOf("ProcessEnded")));
    }

    [Test]
    public void ChildClosingItsStdinIsNoticedWithoutWriting()
    {
        var protocol = new RecordingProcessProtocol();
        var transport = Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "exec 0<&-; echo closed; exec sleep 60"]);
        Loop.RunUntil(() => protocol.Events.Contains("InConnectionLost"), "the child's stdin close is noticed");
        Assert.That(protocol.ExitedReason, Is.Null, "the child still runs");
        transport.SignalProcess("KILL");
        Loop.RunUntil(() => protocol.IsEnded, "the child ends");
    }

    [Test]
    public void EnvironmentAndWorkingDirectoryAreTheChildsOwn()
    {
        var directory = Directory.CreateTempSubdirectory("reactor-spawn-").FullName;
        try
        {
            var protocol = new RecordingProcessProtocol();
            Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "echo \"$FOO|$HOME|$(pwd)\""],
                environment: new Dictionary<string, string> { ["FOO"] = "bar baz", ["PATH"] = "/usr/bin:/bin" },
                workingDirectory: directory);
            Loop.RunUntil(() => protocol.IsEnded, "sh ends");
            Assert.That(protocol.Text(1), Is.EqualTo($"bar baz||{directory}\n"));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Test]
    public void NullEnvironmentInheritsOurs()
    {
        Environment.SetEnvironmentVariable("REACTOR_SPAWN_TEST", "inherited");
        try
        {
            var protocol = Run("sh", ["sh", "-c", "echo $REACTOR_SPAWN_TEST"]);
            Assert.That(protocol.Text(1), Is.EqualTo("inherited\n"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("REACTOR_SPAWN_TEST", null);
        }
    }

    [Test]
    public void ArgvZeroIsWhatTheCallerGives()
    {
        var protocol = Run("sh", ["custom-name", "-c", "echo $0"]);
        Assert.That(protocol.Text(1), Is.EqualTo("custom-name\n"));
    }

    [Test]
    public void MissingExecutableIsATypedErrorAndLeaksNothing()
    {
        var before = ProcessTesting.OpenDescriptorCount();
        var protocol = new RecordingProcessProtocol();
        var byName = Assert.Throws<ExecutableNotFoundError>(() => Loop.SpawnProcess(protocol, "no-such-program-reactor-test"));
        var byPath = Assert.Throws<ExecutableNotFoundError>(() => Loop.SpawnProcess(protocol, "/nonexistent/dir/program"));
        var plainFile = Path.GetTempFileName();
        File.SetUnixFileMode(plainFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var notExecutable = Assert.Throws<ExecutableNotFoundError>(() => Loop.SpawnProcess(protocol, plainFile));
        File.WriteAllText(plainFile, "not a program");
        File.SetUnixFileMode(plainFile, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var notAProgram = Assert.Throws<ProcessSpawnError>(() => Loop.SpawnProcess(protocol, plainFile));
        File.Delete(plainFile);
        Assert.Multiple(() =>
        {
            Assert.That(byName!.Executable, Is.EqualTo("no-such-program-reactor-test"));
            Assert.That(byName.Message, Does.Contain("PATH"));
            Assert.That(byPath!.Message, Does.Contain("does not exist"));
            Assert.That(notExecutable!.Message, Does.Contain("not executable"));
            Assert.That(notAProgram!.ErrorCode, Is.EqualTo(8), "ENOEXEC, reported synchronously by posix_spawn");
            Assert.That(protocol.Events, Is.Empty, "the protocol never heard of a process");
            Assert.That(ProcessTesting.OpenDescriptorCount(), Is.EqualTo(before));
        });
    }

    [Test]
    public void BadWorkingDirectoryIsASpawnError()
    {
        Assert.That(() => Loop.SpawnProcess(new RecordingProcessProtocol(), "true", workingDirectory: "/nonexistent/reactor"),
            Throws.InstanceOf<ProcessSpawnError>().With.Message.Contains("does not exist"));
    }

    [Test]
    public void AnExceptionInACallbackIsLoggedAndTheProcessStillEnds()
    {
        var protocol = new ThrowingOnOutput();
        Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "echo boom"]);
        Loop.RunUntil(() => protocol.IsEnded, "sh ends");
        Assert.That(Logger.Errors.Any(e => e.Exception is InvalidOperationException && e.Message.Contains("ChildDataReceived")), Is.True);
    }

    private sealed class ThrowingOnOutput : RecordingProcessProtocol
    {
        public override void OutReceived(ReadOnlySpan<byte> data) => throw new InvalidOperationException("user code failed");
    }

    [Test]
    public void LoseConnectionClosesEveryPipeAndTheChildRunsOn()
    {
        var protocol = new RecordingProcessProtocol();
        var transport = Loop.SpawnProcess(protocol, "sleep", ["sleep", "60"]);
        transport.LoseConnection();
        Loop.RunUntil(() => protocol.Events.Count(e => e.StartsWith("ChildConnectionLost")) == 3, "all three pipes close");
        Assert.That(protocol.ExitedReason, Is.Null);
        transport.SignalProcess("TERM");
        Loop.RunUntil(() => protocol.IsEnded, "sleep ends");
        Assert.That(((ProcessTerminated)protocol.EndedReason!.Value).Signal, Is.EqualTo(15));
    }

    [Test]
    public void ArgumentErrorsAreReportedBeforeAnythingStarts()
    {
        var protocol = new RecordingProcessProtocol();
        Assert.Multiple(() =>
        {
            Assert.That(() => Loop.SpawnProcess(protocol, "true", usePty: true, childFds: ChildFd.Default), Throws.ArgumentException);
            Assert.That(() => Loop.SpawnProcess(protocol, "true", argv: []), Throws.ArgumentException);
            Assert.That(() => Loop.SpawnProcess(protocol, "true", childFds: new Dictionary<int, ChildFd> { [-1] = ChildFd.ReadFromChild }), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Loop.SpawnProcess(protocol, "true", environment: new Dictionary<string, string> { ["A=B"] = "x" }), Throws.ArgumentException);
        });
    }
}
