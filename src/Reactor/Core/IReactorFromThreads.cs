using Reactor.Core.Threading;

namespace Reactor.Core;

/// <summary>Handing work to the reactor thread from any thread (Twisted's <c>IReactorThreads.callFromThread</c>).</summary>
public interface IReactorFromThreads
{
    /// <summary>
    /// Runs <paramref name="action"/> on the reactor thread at its next iteration. Safe from any
    /// thread; wakes a sleeping loop; calls run in the order they were made.
    /// </summary>
    void CallFromThread(Action action);
}
