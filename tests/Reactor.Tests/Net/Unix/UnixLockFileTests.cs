using System.Diagnostics;
using System.Runtime.Versioning;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Unix;

/// <summary>
/// wantPid / checkPid (Twisted's FilesystemLock on path + ".lock"): a second server fails cleanly,
/// a stale socket file from a dead server is removed, clients can insist on a live server.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public class UnixLockFileTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _reactor = CreateReactor(out _, kind);
        _dir = TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private IListeningPort Listen(string path) =>
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingStreamProtocol { Echo = true }), wantPid: true);

    /// <summary>The pid of a process that has exited (and been reaped): nobody holds it now.</summary>
    private static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        Assert.That(process.WaitForExit(20_000), Is.True);
        return process.Id;
    }

    [Test]
    public void ASecondServerOnTheSamePathFailsAndTheFirstKeepsWorking()
    {
        var path = Path.Combine(_dir, "one.sock");
        var first = Listen(path);
        Assert.That(UnixStreamTests.ReadWithoutLocking(path + ".lock"), Does.StartWith(Environment.ProcessId + "\n"));

        var error = Assert.Throws<CannotListenError>(() => Listen(path));
        Assert.That(error!.Message, Does.Contain("lock").And.Contain($"pid {Environment.ProcessId}"));
        Assert.That(File.Exists(path), Is.True, "the losing server does not touch the winner's socket file");

        // The first server still accepts.
        var client = new RecordingStreamProtocol();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client), checkPid: true);
        IterateUntil(_reactor, () => client.Connected, "a client of the first server");

        Wait(_reactor, first.StopListening(), "StopListening");
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(path), Is.False, "socket file removed");
            Assert.That(File.Exists(path + ".lock"), Is.False, "lock file removed");
        });
        Listen(path);
    }

    // A server killed with SIGKILL leaves its socket file and its lock file; the kernel released the lock.
    [Test]
    public void AStaleSocketFileFromADeadServerIsRemoved()
    {
        var path = Path.Combine(_dir, "stale.sock");
        UnixStreamTests.StaleSocketFile(path);
        File.WriteAllText(path + ".lock", $"{DeadPid()}\n");

        Listen(path);
        var client = new RecordingStreamProtocol();
        _reactor.ConnectUnix(path, new RecordingClientFactory(() => client));
        IterateUntil(_reactor, () => client.Connected, "a client of the new server");
    }

    // Twisted's own lock format: a symbolic link whose target is the holder's pid.
    [Test]
    public void AStaleTwistedStyleLockIsTakenOverAndALiveOneIsRespected()
    {
        var path = Path.Combine(_dir, "twisted.sock");
        File.CreateSymbolicLink(path + ".lock", Environment.ProcessId.ToString());
        Assert.Throws<CannotListenError>(() => Listen(path), "a live pid holds the Twisted-style lock");

        File.Delete(path + ".lock");
        File.CreateSymbolicLink(path + ".lock", DeadPid().ToString());
        UnixStreamTests.StaleSocketFile(path);
        Listen(path);
        Assert.That(new FileInfo(path + ".lock").LinkTarget, Is.Null, "replaced by our own lock file");
    }

    [Test]
    public void ANonSocketFileAtThePathIsNeverRemoved()
    {
        var path = Path.Combine(_dir, "precious.txt");
        File.WriteAllText(path, "not a socket");
        Assert.Throws<CannotListenError>(() => Listen(path));
        Assert.That(File.ReadAllText(path), Is.EqualTo("not a socket"));
    }

    // Twisted: unix.py Client — checkPID refuses when the lock is not held by a live process.
    [Test]
    public void CheckPidRefusesWithoutALiveServer()
    {
        var path = Path.Combine(_dir, "nolock.sock");
        _reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingStreamProtocol()));
        var factory = new RecordingClientFactory(() => new RecordingStreamProtocol());
        _reactor.ConnectUnix(path, factory, checkPid: true);
        IterateUntil(_reactor, () => factory.Failures.Count == 1, "ClientConnectionFailed");
        Assert.That(factory.Failures[0].Value, Is.InstanceOf<NoLiveServerError>());
    }
}
