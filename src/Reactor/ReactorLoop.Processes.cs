using Reactor.Native;
using Reactor.Net.Processes.Internal;
using Reactor.Net.Processes;

namespace Reactor;

/// <summary>Child processes for the reactor (Twisted's <c>IReactorProcess</c>).</summary>
public sealed partial class ReactorLoop : IReactorProcess
{
    private SigChldReaper? _sigChldReaper;

    /// <summary>
    /// How this reactor notices its children's exits: pidfds where the kernel has them (Linux ≥ 5.3),
    /// otherwise SIGCHLD. Tests set it to force the fallback.
    /// </summary>
    internal ProcessExitNotification ProcessExitNotification { get; set; } = ProcessExitNotification.Automatic;

    /// <summary>The kernel seam for processes (tests may replace it).</summary>
    internal IProcessSyscalls ProcessSyscalls { get; set; } = LibcProcessSyscalls.Instance;

    /// <inheritdoc/>
    /// <remarks>
    /// The child is started with posix_spawn (never fork in this multithreaded runtime), its
    /// signal mask cleared and every signal back at its default action (the .NET runtime ignores
    /// SIGPIPE; the child should not). Its exit is noticed through a pidfd registered with the
    /// selector, or SIGCHLD where there is none. Reactor thread only.
    /// </remarks>
    public IProcessTransport SpawnProcess(
        IProcessProtocol protocol,
        string executable,
        IReadOnlyList<string>? argv = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        int? uid = null,
        int? gid = null,
        bool usePty = false,
        IReadOnlyDictionary<int, ChildFd>? childFds = null)
    {
        ThrowIfDisposed();
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("SpawnProcess needs posix_spawn; on Windows use System.Diagnostics.Process.");
        return ProcessSpawner.Spawn(this, ProcessSyscalls, WatchExit, protocol, executable, argv, environment, workingDirectory, uid, gid, usePty, childFds);
    }

    private IExitWatcher WatchExit(int pid, Action<ChildExitStatus?, Errno> reaped)
    {
        if (ProcessExitNotification != ProcessExitNotification.SigChld)
        {
            var pidFd = ProcessSyscalls.PidFdOpen(pid, out _);
            if (pidFd >= 0) return new PidFdExitWatcher(this, ProcessSyscalls, pidFd, reaped);
        }
        _sigChldReaper ??= new SigChldReaper(this, ProcessSyscalls);
        return _sigChldReaper.Watch(pid, reaped);
    }
}

/// <summary>How a reactor notices that a child exited.</summary>
internal enum ProcessExitNotification
{
    /// <summary>A pidfd where the kernel has them, SIGCHLD otherwise.</summary>
    Automatic,

    /// <summary>Always SIGCHLD (the fallback, forced).</summary>
    SigChld,
}
