namespace Reactor.Core.Threading;

/// <summary>Refuses blocking hand-offs made from the reactor thread itself, which could only deadlock.</summary>
internal static class ThreadAffinity
{
    public static void ThrowIfReactorThread(IReactorFromThreads reactor)
    {
        if (reactor is IReactorThreadIdentity identity && identity.IsReactorThread)
        {
            throw new InvalidOperationException("BlockingCallFromThread was called on the reactor thread; it would wait for itself forever. Call the function directly instead.");
        }
    }
}

/// <summary>A reactor that can tell whether the calling thread is its own.</summary>
internal interface IReactorThreadIdentity
{
    /// <summary>True when called on the thread running the reactor.</summary>
    bool IsReactorThread { get; }
}
