namespace Reactor.Native;

/// <summary>How a reaped child ended: its exit code, or the signal that killed it.</summary>
/// <param name="ExitCode">The exit code (0–255) when the child called exit; null when a signal ended it.</param>
/// <param name="Signal">The signal number that ended the child; null when it exited.</param>
/// <param name="CoreDumped">True when the signal also dumped core.</param>
/// <param name="Status">The status word as waitpid(2) would report it (Twisted's <c>status</c>).</param>
internal readonly record struct ChildExitStatus(int? ExitCode, int? Signal, bool CoreDumped, int Status)
{
    /// <summary>Decodes a waitpid(2) status word (the encoding is the same on Linux and the BSDs).</summary>
    public static ChildExitStatus FromWaitStatus(int status)
    {
        int low = status & 0x7f;
        if (low == 0) return new((status >> 8) & 0xff, null, false, status);
        return new(null, low, (status & 0x80) != 0, status);
    }

    /// <summary>Builds the status from waitid(2)'s si_code and si_status.</summary>
    public static ChildExitStatus FromSigInfo(int code, int value) => code switch
    {
        ProcessConstants.CLD_EXITED => new(value & 0xff, null, false, (value & 0xff) << 8),
        ProcessConstants.CLD_DUMPED => new(null, value, true, value | 0x80),
        _ => new(null, value, false, value),
    };
}
