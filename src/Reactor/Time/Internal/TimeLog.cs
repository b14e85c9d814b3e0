using Microsoft.Extensions.Logging;

namespace Reactor.Time.Internal;

/// <summary>The log messages of the Time layer (source-generated: no allocation unless enabled).</summary>
internal static partial class TimeLog
{
    // Event id 1 as when this message lived in CoreLog, so filters written against it keep working.
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error in a delayed call")]
    internal static partial void DelayedCallFailed(ILogger logger, Exception exception);
}
