using Reactor.Core;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Core.Internal;

namespace Reactor.Net.Processes.Internal;

/// <summary>
/// Notices a child's exit through the selector (Linux ≥ 5.3): a pidfd becomes readable when the
/// child exits, and waitid(P_PIDFD, WNOHANG) then reaps exactly that child. No thread blocks in
/// waitpid and no SIGCHLD handler is involved, so nothing here competes with the .NET runtime's
/// own reaping of the children <c>System.Diagnostics.Process</c> starts (it waits only for its
/// own pids). The pidfd also carries signals (pidfd_send_signal), which can never reach a pid the
/// kernel has recycled.
/// </summary>
internal sealed class PidFdExitWatcher : IReadDescriptor, IExitWatcher, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    private readonly ITransportHost _host;
    private readonly IProcessSyscalls _process;
    private readonly Action<ChildExitStatus?, Errno> _reaped;
    private int _fd;

    /// <summary>Watches the pidfd <paramref name="pidFd"/>; <paramref name="reaped"/> gets the status (null when someone else reaped the child).</summary>
    public PidFdExitWatcher(ITransportHost host, IProcessSyscalls process, int pidFd, Action<ChildExitStatus?, Errno> reaped)
    {
        _host = host;
        _process = process;
        _fd = pidFd;
        _reaped = reaped;
        host.AddReader(this);
    }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>The child exited (or the readiness was spurious): reap it without blocking.</summary>
    public Exception? DoRead()
    {
        if (_fd < 0) return null;
        var result = _process.WaitPidFd(_fd, out var status, out var errno);
        if (result == 0 || (result < 0 && errno == Errno.EINTR)) return null;
        Stop();
        _reaped(result == 1 ? status : null, errno);
        return null;
    }

    /// <inheritdoc/>
    public int Signal(int pid, int signal, out Errno errno) =>
        _fd < 0 ? _process.Kill(pid, signal, out errno) : _process.PidFdSendSignal(_fd, signal, out errno);

    /// <summary>The reactor is shutting down: stop watching (the child is left running, as Twisted leaves it).</summary>
    public void ConnectionLost(Failure reason) => Stop();

    /// <inheritdoc/>
    public void Stop()
    {
        if (_fd < 0) return;
        _host.RemoveReader(this);
        _host.Syscalls.Close(_fd, out _);
        _fd = -1;
    }
}
