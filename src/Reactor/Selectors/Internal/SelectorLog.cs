using Microsoft.Extensions.Logging;

namespace Reactor.Selectors.Internal;

/// <summary>The log messages of the Selectors layer (event ids 50-59; source-generated).</summary>
internal static partial class SelectorLog
{
    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "io_uring is not available ({Reason}); using epoll instead")]
    internal static partial void IoUringUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "io_uring provided-buffer ring refused ({Reason}); TCP connections read on readiness instead of completions")]
    internal static partial void IoUringBufferRingRefused(ILogger logger, string reason);
}
