using Microsoft.Extensions.Logging;

namespace Reactor.Core.Internal;

/// <summary>
/// What Core's helpers need from the reactor loop itself (its logger, a closure-free hand-off that
/// says whether the call was queued) without naming the loop, which sits above Core.
/// </summary>
internal interface ILoopServices
{
    /// <summary>The reactor's logger.</summary>
    ILogger Logger { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> when called off the reactor's thread while it runs.</summary>
    void CheckReactorThread(string member);

    /// <summary>Queues <paramref name="callback"/>(<paramref name="state"/>) for the reactor thread; false if the reactor is disposed and the call was dropped.</summary>
    bool CallFromThread(SendOrPostCallback callback, object? state);
}
