using Microsoft.Extensions.Logging;

namespace Reactor.Protocols.Internal;

/// <summary>The log messages of the Protocols layer (event ids 450-469; source-generated).</summary>
internal static partial class ProtocolLog
{
    [LoggerMessage(EventId = 450, Level = LogLevel.Error, Message = "The pipe protocol's code threw; aborting the connection")]
    internal static partial void PipeProtocolFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 451, Level = LogLevel.Information, Message = "Abandoning {Destination} after {Retries} retries.")]
    internal static partial void ReconnectAbandoned(ILogger logger, object destination, int retries);

    [LoggerMessage(EventId = 452, Level = LogLevel.Information, Message = "{Traffic}")]
    internal static partial void Traffic(ILogger logger, string traffic);

    [LoggerMessage(EventId = 453, Level = LogLevel.Debug, Message = "Max connection count {MaxConnectionCount} reached: refusing {Address}")]
    internal static partial void MaxConnectionsReached(ILogger logger, int maxConnectionCount, object address);

    [LoggerMessage(EventId = 454, Level = LogLevel.Debug, Message = "Throttling reads for {Seconds:F3} s")]
    internal static partial void ThrottlingReads(ILogger logger, double seconds);

    [LoggerMessage(EventId = 455, Level = LogLevel.Debug, Message = "Throttling writes for {Seconds:F3} s")]
    internal static partial void ThrottlingWrites(ILogger logger, double seconds);

    [LoggerMessage(EventId = 456, Level = LogLevel.Debug, Message = "Stopped throttling reads")]
    internal static partial void ReadsUnthrottled(ILogger logger);

    [LoggerMessage(EventId = 457, Level = LogLevel.Debug, Message = "Stopped throttling writes")]
    internal static partial void WritesUnthrottled(ILogger logger);
}
