using Microsoft.Extensions.Logging;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>Processes (300-309), standard I/O (310-319), blocking handlers (320-329), name resolution (330-339).</summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Process {Pid} was reaped by someone else ({Errno}): its exit status is unknown")]
    internal static partial void ProcessReapedElsewhere(ILogger logger, int pid, Errno errno);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Unhandled exception in {Callback} of {Protocol} for process {Pid}")]
    internal static partial void ProcessProtocolFailed(ILogger logger, Exception exception, string callback, string? protocol, int pid);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "waitpid({Pid}) failed: {Errno}; someone else reaped the child, its exit status is unknown")]
    internal static partial void WaitPidFailed(ILogger logger, int pid, Errno errno);

    [LoggerMessage(EventId = 310, Level = LogLevel.Error, Message = "Unhandled exception in DataReceived of {Protocol} on standard I/O; closing it")]
    internal static partial void StandardIOProtocolFailed(ILogger logger, Exception exception, string? protocol);

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Refused a connection from {Peer}: all {Workers} workers are busy and {Queued} connections wait (policy {Policy})")]
    internal static partial void BlockingConnectionRefused(ILogger logger, object? peer, int workers, int queued, object policy);

    [LoggerMessage(EventId = 321, Level = LogLevel.Error, Message = "Unhandled exception in the blocking handler for {Peer}; closing the connection")]
    internal static partial void BlockingHandlerFailed(ILogger logger, Exception exception, object? peer);

    [LoggerMessage(EventId = 330, Level = LogLevel.Error, Message = "Could not deliver the resolution of {Host} to the reactor thread.")]
    internal static partial void ResolutionNotDelivered(ILogger logger, Exception exception, string host);

    [LoggerMessage(EventId = 331, Level = LogLevel.Error, Message = "Could not deliver the reverse lookup of {Address} to the reactor thread.")]
    internal static partial void ReverseLookupNotDelivered(ILogger logger, Exception exception, object address);
}
