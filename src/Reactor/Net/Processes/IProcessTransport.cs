using Reactor.Protocols;

namespace Reactor.Net.Processes;

/// <summary>
/// A running child process (Twisted's <c>IProcessTransport</c>): its pipes, its pid, and signals.
/// <see cref="IConsumer.Write"/> writes to the child's stdin, with producers and water marks as on
/// any transport; pausing the transport (it is a push producer) stops reading the child's output,
/// so a child that writes faster than we consume blocks in its own write.
/// </summary>
/// <remarks>Threading: reactor thread only.</remarks>
public interface IProcessTransport : IConsumer, IPushProducer, IWriteBuffer
{
    /// <summary>The child's process id, or null once it has been reaped (Twisted sets <c>pid</c> to None).</summary>
    int? Pid { get; }

    /// <summary>Writes to the child's descriptor <paramref name="childFd"/> (one mapped as <see cref="ChildFd.WriteToChild"/>).</summary>
    /// <exception cref="ArgumentException">No pipe we write is mapped to that descriptor.</exception>
    void WriteToChild(int childFd, ReadOnlySpan<byte> data);

    /// <summary>Closes the child's stdin once everything written has been delivered (the child then reads EOF).</summary>
    void CloseStdin();

    /// <summary>Closes our end of the child's stdout at once; the child gets EPIPE/SIGPIPE if it writes more.</summary>
    void CloseStdout();

    /// <summary>Closes our end of the child's stderr at once.</summary>
    void CloseStderr();

    /// <summary>Closes the pipe on the child's descriptor <paramref name="childFd"/> (a write pipe after its pending bytes). Unknown or closed descriptors are ignored.</summary>
    void CloseChildFd(int childFd);

    /// <summary>Closes every pipe (stdin after its pending bytes). The child keeps running; signal it to stop it.</summary>
    void LoseConnection();

    /// <summary>
    /// Sends a signal by name: "TERM", "KILL", "INT", "HUP", "STOP", "CONT", "USR1", … (a "SIG"
    /// prefix is accepted). On Linux it goes through the pidfd, so it can never reach a recycled pid.
    /// </summary>
    /// <exception cref="ProcessExitedAlready">The child has already been reaped.</exception>
    /// <exception cref="ArgumentException">Not a signal name this OS knows.</exception>
    void SignalProcess(string signalName);

    /// <summary>Sends signal number <paramref name="signal"/>.</summary>
    /// <exception cref="ProcessExitedAlready">The child has already been reaped.</exception>
    void SignalProcess(int signal);
}
