using Reactor.Native;

namespace Reactor.Net.Processes.Internal;

/// <summary>How a child's exit is noticed and how it is signalled: a pidfd, or the SIGCHLD fallback.</summary>
internal interface IExitWatcher
{
    /// <summary>Sends <paramref name="signal"/> to the child <paramref name="pid"/>.</summary>
    int Signal(int pid, int signal, out Errno errno);

    /// <summary>Stops watching.</summary>
    void Stop();
}
