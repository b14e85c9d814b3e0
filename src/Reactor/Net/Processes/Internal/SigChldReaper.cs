using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Reactor.Native;
using Reactor.Net.Internal;

namespace Reactor.Net.Processes.Internal;

/// <summary>
/// The fallback where there is no pidfd (macOS, the BSDs, Linux before 5.3): SIGCHLD, received
/// through .NET's <see cref="PosixSignalRegistration"/> on the runtime's signal thread, only
/// schedules a sweep on the reactor thread, which calls waitpid(pid, WNOHANG) for each of this
/// reactor's own children — never waitpid(−1), so children started by
/// <c>System.Diagnostics.Process</c> or by another reactor are left to their owners. A sweep also
/// runs right after each spawn, so an exit before the registration is not missed.
/// </summary>
internal sealed class SigChldReaper
{
    private readonly ITransportHost _host;
    private readonly IProcessSyscalls _process;
    private readonly Dictionary<int, Action<ChildExitStatus?, Errno>> _children = new();
    private PosixSignalRegistration? _registration;
    private bool _sweepScheduled;

    /// <summary>Creates the reaper of one reactor.</summary>
    public SigChldReaper(ITransportHost host, IProcessSyscalls process)
    {
        _host = host;
        _process = process;
    }

    /// <summary>How many children are being watched.</summary>
    public int Count => _children.Count;

    /// <summary>Starts watching <paramref name="pid"/>; <paramref name="reaped"/> runs on the reactor thread.</summary>
    public IExitWatcher Watch(int pid, Action<ChildExitStatus?, Errno> reaped)
    {
        _children[pid] = reaped;
        if (!OperatingSystem.IsWindows()) _registration ??= PosixSignalRegistration.Create(PosixSignal.SIGCHLD, OnSignal);
        ScheduleSweep();
        return new Watcher(this, pid);
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The runtime's signal thread: hand over to the reactor thread.
        try
        {
            _host.CallFromThread(Sweep);
        }
        catch (ObjectDisposedException)
        {
            // The reactor is gone; its children are nobody's to reap any more.
        }
    }

    private void ScheduleSweep()
    {
        if (_sweepScheduled) return;
        _sweepScheduled = true;
        _host.CallLater(TimeSpan.Zero, Sweep);
    }

    private void Sweep()
    {
        _sweepScheduled = false;
        List<(Action<ChildExitStatus?, Errno>, ChildExitStatus?, Errno)>? done = null;
        foreach (var (pid, reaped) in _children)
        {
            var result = _process.WaitPid(pid, out var status, out var errno);
            if (result == 0 || (result < 0 && errno == Errno.EINTR)) continue;
            if (result < 0) NetLog.WaitPidFailed(_host.Logger, pid, errno);
            (done ??= new()).Add((reaped, result == 1 ? status : null, errno));
            _children.Remove(pid);
        }
        if (_children.Count == 0 && _registration is not null)
        {
            _registration.Dispose();
            _registration = null;
        }
        if (done is null) return;
        foreach (var (reaped, status, errno) in done) reaped(status, errno);
    }

    private sealed class Watcher(SigChldReaper reaper, int pid) : IExitWatcher
    {
        public int Signal(int target, int signal, out Errno errno) => reaper._process.Kill(target, signal, out errno);

        public void Stop()
        {
            reaper._children.Remove(pid);
            if (reaper._children.Count == 0 && reaper._registration is not null)
            {
                reaper._registration.Dispose();
                reaper._registration = null;
            }
        }
    }
}
