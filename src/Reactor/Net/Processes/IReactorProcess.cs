namespace Reactor.Net.Processes;

/// <summary>Starting child processes whose pipes and exit are watched by the reactor (Twisted's <c>IReactorProcess</c>).</summary>
public interface IReactorProcess
{
    /// <summary>
    /// Starts <paramref name="executable"/> as a child process and connects
    /// <paramref name="protocol"/> to it (Twisted's <c>spawnProcess</c>).
    /// </summary>
    /// <param name="protocol">Receives the child's output, pipe closes, and its exit.</param>
    /// <param name="executable">A path, or a name looked up in the PATH of the child's environment (ours when that has none).</param>
    /// <param name="argv">
    /// The complete argument vector <b>including argv[0]</b>, as Twisted's <c>args</c> and C's
    /// <c>execv</c>: <c>["sh", "-c", "exit 3"]</c>. Null means <c>[executable]</c>.
    /// </param>
    /// <param name="environment">
    /// The child's complete environment, or null to pass ours. Twisted's default is an empty
    /// environment; ours inherits, as <c>System.Diagnostics.Process</c> does.
    /// </param>
    /// <param name="workingDirectory">The child's working directory, or null for ours (Twisted's <c>path</c>).</param>
    /// <param name="uid">The user id the child runs as, or null (needs root or CAP_SETUID; Linux only).</param>
    /// <param name="gid">The group id the child runs as, or null (needs root or CAP_SETGID; Linux only). The child's supplementary groups become exactly this one.</param>
    /// <param name="usePty">
    /// Run the child on a new pseudo-terminal (its stdin, stdout and stderr, and its controlling
    /// terminal, in a new session). Its output then arrives as descriptor 1; <paramref name="childFds"/> must be null.
    /// </param>
    /// <param name="childFds">
    /// Which of the child's descriptors are pipes to us or copies of ours (Twisted's <c>childFDs</c>);
    /// every descriptor not named is closed in the child. Null means <see cref="ChildFd.Default"/>.
    /// </param>
    /// <returns>The running child's transport (also given to the protocol's <c>MakeConnection</c>).</returns>
    /// <exception cref="ExecutableNotFoundError">The executable does not exist or is not executable.</exception>
    /// <exception cref="ProcessSpawnError">The child could not be started (a bad working directory, no privilege for uid/gid, descriptor exhaustion…).</exception>
    IProcessTransport SpawnProcess(
        IProcessProtocol protocol,
        string executable,
        IReadOnlyList<string>? argv = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        int? uid = null,
        int? gid = null,
        bool usePty = false,
        IReadOnlyDictionary<int, ChildFd>? childFds = null);
}
