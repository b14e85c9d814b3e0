using Microsoft.Extensions.Logging;

namespace Reactor.Logging;

/// <summary>
/// The logger of the reactor that is running (or iterating) on the calling thread, if any. Code that
/// reports on behalf of whoever runs it — a Deferred whose chain ends on an unhandled failure, a
/// pipe protocol whose code throws — asks here, so each reactor's reports reach its own logger and
/// nothing is lent between reactors. Off a reactor thread it is null and the caller falls back to
/// the documented process-wide default (<c>Deferred.Logger</c>).
/// </summary>
/// <remarks>
/// A thread-static rather than the reactor's <see cref="SynchronizationContext"/>: user code may
/// install a context of its own on the reactor thread, and it is read only on the failure path, so
/// the hot path pays one thread-static write when a reactor enters and leaves its thread.
/// </remarks>
internal static class ReactorThreadLogger
{
    [ThreadStatic]
    private static ILogger? t_current;

    /// <summary>The logger of the reactor on this thread, or null off every reactor's thread.</summary>
    internal static ILogger? Current => t_current;

    /// <summary>Makes <paramref name="logger"/> this thread's reactor logger; returns the one it replaces (a reactor iterated from inside another's callback).</summary>
    internal static ILogger? Enter(ILogger logger)
    {
        var previous = t_current;
        t_current = logger;
        return previous;
    }

    /// <summary>Puts back what <see cref="Enter"/> replaced.</summary>
    internal static void Leave(ILogger? previous) => t_current = previous;
}
