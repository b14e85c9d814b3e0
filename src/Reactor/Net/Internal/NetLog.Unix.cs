using Microsoft.Extensions.Logging;

namespace Reactor.Net.Internal;

/// <summary>UNIX sockets: event ids 120-129.</summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "{Connection} was sent more descriptors than one read can take; the kernel closed the rest")]
    internal static partial void TooManyDescriptorsReceived(ILogger logger, object connection);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "{Protocol} on {Connection} does not accept file descriptors; closing the {Count} received")]
    internal static partial void DescriptorsRefusedByProtocol(ILogger logger, string? protocol, object connection, int count);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "{Connection} closed with {Count} file descriptor(s) queued but no bytes written to carry them; they were not sent")]
    internal static partial void DescriptorsNotSent(ILogger logger, object connection, int count);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Removing the stale socket file {Path} left by a server that is no longer running")]
    internal static partial void StaleSocketFileRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 124, Level = LogLevel.Debug, Message = "UNIX port {Path} listening")]
    internal static partial void UnixPortListening(ILogger logger, string path);

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "Could not remove the socket file {Path}")]
    internal static partial void SocketFileNotRemoved(ILogger logger, Exception exception, string? path);
}
