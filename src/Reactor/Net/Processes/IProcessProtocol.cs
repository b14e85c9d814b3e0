using Reactor.Defer;

namespace Reactor.Net.Processes;

/// <summary>
/// What a child process tells its owner (Twisted's <c>IProcessProtocol</c>). Derive from
/// <see cref="ProcessProtocol"/> rather than implementing this directly.
/// </summary>
/// <remarks>
/// Threading: every call is made on the reactor thread. Order: <see cref="MakeConnection"/> first,
/// <see cref="ProcessEnded"/> last; in between, data and pipe closes in the order the selector
/// reports them, and <see cref="ProcessExited"/> when the child is reaped, which may come before
/// or after its pipes close (a grandchild may even hold them open after the child exits).
/// </remarks>
public interface IProcessProtocol
{
    /// <summary>The child was started; <paramref name="transport"/> controls it.</summary>
    void MakeConnection(IProcessTransport transport);

    /// <summary>
    /// The child wrote <paramref name="data"/> to its descriptor <paramref name="childFd"/>. The span
    /// is only valid during the call (it is the reactor's shared read buffer): copy what you keep.
    /// </summary>
    void ChildDataReceived(int childFd, ReadOnlySpan<byte> data);

    /// <summary>The pipe on the child's descriptor <paramref name="childFd"/> is closed (either end closed it).</summary>
    void ChildConnectionLost(int childFd);

    /// <summary>The child was reaped: <see cref="ProcessDone"/> for exit code 0, otherwise <see cref="ProcessTerminated"/>.</summary>
    void ProcessExited(Failure reason);

    /// <summary>The child was reaped and every pipe to it is closed; always the last call.</summary>
    void ProcessEnded(Failure reason);
}
