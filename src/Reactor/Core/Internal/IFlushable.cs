namespace Reactor.Core.Internal;

/// <summary>
/// Something with output buffered during the current iteration (a transport). It asks once per
/// iteration with <see cref="ReactorLoop.RequestFlush"/> and is flushed after the dispatch, before
/// the loop waits again, so many small writes in one iteration leave in one send.
/// </summary>
internal interface IFlushable
{
    /// <summary>Writes what is pending. Exceptions are logged by the loop and do not stop it.</summary>
    void FlushPending();
}
