namespace Reactor.Native;

/// <summary>
/// The system calls of child processes and pseudo-terminals. The default is
/// <see cref="LibcProcessSyscalls.Instance"/>; a test may pass a fake.
/// </summary>
/// <remarks>
/// As in <see cref="ISyscalls"/>: members return the call's result (−1 on failure) and the errno in
/// an <c>out</c> parameter; nothing throws for an errno, and nothing retries.
/// </remarks>
internal interface IProcessSyscalls
{
    /// <summary>
    /// posix_spawn with the request's descriptor map, working directory, session and credentials,
    /// signal mask cleared and every signal reset to its default action (the runtime ignores
    /// SIGPIPE; a child should not inherit that). Returns 0 and the child's pid, or −1 and the
    /// error (ENOENT/EACCES/ENOEXEC from the exec are reported here, synchronously).
    /// </summary>
    int Spawn(SpawnRequest request, out int pid, out Errno errno);

    /// <summary>pidfd_open(2): a descriptor that becomes readable when the child exits (Linux ≥ 5.3; ENOSYS elsewhere). Close-on-exec.</summary>
    int PidFdOpen(int pid, out Errno errno);

    /// <summary>pidfd_send_signal(2): a signal that cannot reach a recycled pid (Linux ≥ 5.1).</summary>
    int PidFdSendSignal(int pidFd, int signal, out Errno errno);

    /// <summary>
    /// waitid(P_PIDFD, WEXITED | WNOHANG): 1 and the status when the child was reaped now, 0 when it
    /// is still running, −1 on error (ECHILD: someone else reaped it).
    /// </summary>
    int WaitPidFd(int pidFd, out ChildExitStatus status, out Errno errno);

    /// <summary>waitpid(pid, WNOHANG): 1 and the status when reaped now, 0 when still running, −1 on error.</summary>
    int WaitPid(int pid, out ChildExitStatus status, out Errno errno);

    /// <summary>kill(2).</summary>
    int Kill(int pid, int signal, out Errno errno);

    /// <summary>fcntl(F_DUPFD_CLOEXEC): a close-on-exec copy of <paramref name="fd"/> numbered at least <paramref name="minimum"/>.</summary>
    int DuplicateAbove(int fd, int minimum, out Errno errno);

    /// <summary>access(path, X_OK) == 0.</summary>
    bool IsExecutable(string path);

    /// <summary>
    /// posix_openpt + grantpt + unlockpt + ptsname_r: the master side (non-blocking, close-on-exec)
    /// and the path of the terminal the child opens.
    /// </summary>
    int OpenPseudoTerminal(out int master, out string terminalPath, out Errno errno);
}
