using Microsoft.Extensions.Logging;

namespace Reactor.Core.Internal;

/// <summary>The log messages of the Core layer (source-generated: no allocation unless enabled).</summary>
internal static partial class CoreLog
{
    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Unhandled error in {What}")]
    internal static partial void UserCodeFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Unhandled error in a call from a thread")]
    internal static partial void ThreadCallFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Unhandled error in a system event trigger ({Phase} {Event})")]
    internal static partial void TriggerFailed(ILogger logger, Exception exception, TriggerPhase phase, SystemEvent @event);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Descriptor {Fd} failed in {Operation}; dropping it")]
    internal static partial void DescriptorFailed(ILogger logger, Exception exception, int fd, string operation);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Unexpected error in the main loop")]
    internal static partial void MainLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "main function encountered error")]
    internal static partial void ReactMainFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "A call from another thread (CallFromThread, an await's continuation) arrived after the reactor was disposed; it was dropped, and later ones are dropped without a message")]
    internal static partial void CallAfterDisposeDropped(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Thread pool {Name} stopped before it was started; {Count} queued item(s) discarded.")]
    internal static partial void ThreadPoolStoppedBeforeStart(ILogger logger, string name, int count);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Thread pool {Name} stopped with {Busy} worker(s) still busy after {Timeout}.")]
    internal static partial void ThreadPoolStoppedBusy(ILogger logger, string name, int busy, TimeSpan timeout);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Unhandled exception in a work item of thread pool {Name}.")]
    internal static partial void ThreadPoolWorkItemFailed(ILogger logger, Exception exception, string name);
}
