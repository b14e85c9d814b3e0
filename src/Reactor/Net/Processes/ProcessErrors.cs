using Reactor.Errors;

namespace Reactor.Net.Processes;

/// <summary>
/// The child exited with code 0 (Twisted's <c>ProcessDone</c>): the reason given to
/// <see cref="IProcessProtocol.ProcessExited"/> and <see cref="IProcessProtocol.ProcessEnded"/>.
/// </summary>
public sealed class ProcessDone : ConnectionDone
{
    /// <summary>Creates the reason with the raw wait status (0 for a clean exit).</summary>
    public ProcessDone(int status = 0) : base("A process has ended without apparent errors: process finished with exit code 0.") => Status = status;

    /// <summary>The exit code: always 0.</summary>
    public int ExitCode => 0;

    /// <summary>The raw status word as waitpid(2) reported it (Twisted's <c>status</c>).</summary>
    public int Status { get; }
}

/// <summary>
/// The child exited with a non-zero code or was killed by a signal (Twisted's
/// <c>ProcessTerminated</c>). Exactly one of <see cref="ExitCode"/> and <see cref="Signal"/> is set,
/// unless the status was lost (see <see cref="ExitCode"/>).
/// </summary>
public sealed class ProcessTerminated : ConnectionLost
{
    /// <summary>Creates the reason.</summary>
    /// <param name="exitCode">The exit code, or null when a signal ended the child.</param>
    /// <param name="signal">The signal number, or null when the child exited.</param>
    /// <param name="status">The raw wait status, or null when it is unknown.</param>
    public ProcessTerminated(int? exitCode = null, int? signal = null, int? status = null)
        : base(Describe(exitCode, signal))
    {
        ExitCode = exitCode;
        Signal = signal;
        Status = status;
    }

    /// <summary>
    /// The exit code, or null when a signal ended the child. Both this and <see cref="Signal"/>
    /// are null when someone else reaped the child first (the .NET runtime does when it runs as
    /// pid 1, or when SIGCHLD was ignored at start-up): the status is then unknown.
    /// </summary>
    public int? ExitCode { get; }

    /// <summary>The number of the signal that ended the child, or null.</summary>
    public int? Signal { get; }

    /// <summary>The raw status word as waitpid(2) reported it, or null when unknown.</summary>
    public int? Status { get; }

    private static string Describe(int? exitCode, int? signal) =>
        signal is int s ? $"A process has ended with a probable error condition: process ended by signal {s}."
        : exitCode is int c ? $"A process has ended with a probable error condition: process ended with exit code {c}."
        : "A process has ended, but its exit status is unknown: another part of this program reaped it.";
}

/// <summary>
/// <see cref="IProcessTransport.SignalProcess(string)"/> was called after the child had been
/// reaped (Twisted's <c>ProcessExitedAlready</c>).
/// </summary>
public sealed class ProcessExitedAlready : InvalidOperationException
{
    /// <summary>Creates the error.</summary>
    public ProcessExitedAlready(string message = "The process has already exited.") : base(message) { }
}

/// <summary>A child process could not be started (the reason is in the message and <see cref="ErrorCode"/>).</summary>
public class ProcessSpawnError : Exception
{
    /// <summary>Creates the error.</summary>
    public ProcessSpawnError(string message, int errorCode = 0, Exception? inner = null) : base(message, inner) => ErrorCode = errorCode;

    /// <summary>The OS error number (errno) behind the failure, or 0.</summary>
    public int ErrorCode { get; }
}

/// <summary>
/// The executable to spawn does not exist, is not executable, or was not found in any PATH
/// directory. Thrown by <see cref="IReactorProcess.SpawnProcess"/> before anything starts.
/// </summary>
public sealed class ExecutableNotFoundError : ProcessSpawnError
{
    /// <summary>Creates the error for <paramref name="executable"/>.</summary>
    public ExecutableNotFoundError(string executable, string message, int errorCode = 0)
        : base(message, errorCode) => Executable = executable;

    /// <summary>The executable as it was given.</summary>
    public string Executable { get; }
}
