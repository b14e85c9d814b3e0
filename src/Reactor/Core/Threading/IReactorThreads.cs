namespace Reactor.Core.Threading;

/// <summary>
/// Running blocking work off the reactor thread (Twisted's <c>IReactorThreads</c>): a reactor-owned
/// <see cref="ReactorThreadPool"/>, created on first use, started when the reactor runs and drained
/// and stopped while the reactor shuts down.
/// </summary>
public interface IReactorThreads : IReactorFromThreads
{
    /// <summary>The reactor's thread pool, created on first use (Twisted's <c>getThreadPool</c>).</summary>
    ReactorThreadPool GetThreadPool();

    /// <summary>Runs <paramref name="action"/> on a thread of the reactor's pool. Exceptions it throws are logged.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The reactor has shut its pool down.</exception>
    void CallInThread(Action action);

    /// <summary>Sets the most threads the reactor's pool may run at once (Twisted's <c>suggestThreadPoolSize</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive.</exception>
    void SuggestThreadPoolSize(int size);
}
