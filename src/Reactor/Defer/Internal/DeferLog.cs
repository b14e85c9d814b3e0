using Microsoft.Extensions.Logging;

namespace Reactor.Defer.Internal;

/// <summary>The log messages of the Defer layer (event ids 60-69; source-generated: nothing is formatted unless enabled).</summary>
internal static partial class DeferLog
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Critical, Message = "Unhandled error in Deferred:{NewLine}{Traceback}")]
    internal static partial void UnhandledFailure(ILogger logger, Exception exception, string newLine, string traceback);

    [LoggerMessage(EventId = 61, Level = LogLevel.Error, Message = "Canceller raised after firing its Deferred")]
    internal static partial void CancellerRaisedAfterFiring(ILogger logger, Exception exception);
}
