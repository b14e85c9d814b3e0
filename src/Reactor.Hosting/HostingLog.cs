using Microsoft.Extensions.Logging;

namespace Reactor.Hosting;

/// <summary>The log messages of Reactor.Hosting (event ids 900-949, listed in docs/guides/observability.md).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Reactor started on {Selector}; listening: {Listeners}")]
    internal static partial void Started(ILogger logger, string selector, string listeners);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Reactor stopped on its own; stopping the host")]
    internal static partial void StoppedOnItsOwn(ILogger logger);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Reactor shutdown did not finish within the host's shutdown timeout; stopping the loop without waiting for the rest")]
    internal static partial void ShutdownTimedOut(ILogger logger);

    [LoggerMessage(EventId = 903, Level = LogLevel.Critical, Message = "The reactor loop failed")]
    internal static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 904, Level = LogLevel.Error, Message = "Reactor failed to start")]
    internal static partial void StartFailed(ILogger logger, Exception exception);
}
