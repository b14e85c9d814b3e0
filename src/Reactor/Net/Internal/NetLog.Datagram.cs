using Microsoft.Extensions.Logging;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>Datagram ports (UDP, UNIX datagram): event ids 150-159.</summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Debug, Message = "{Port} starting with {Protocol}")]
    internal static partial void DatagramPortStarting(ILogger logger, string port, string? protocol);

    [LoggerMessage(EventId = 151, Level = LogLevel.Debug, Message = "{Port} closed")]
    internal static partial void DatagramPortClosed(ILogger logger, string port);

    [LoggerMessage(EventId = 152, Level = LogLevel.Warning, Message = "Cleaning up after {Port} failed")]
    internal static partial void DatagramCleanupFailed(ILogger logger, Exception exception, string port);

    [LoggerMessage(EventId = 153, Level = LogLevel.Error, Message = "{Protocol}.{Callback} on {Port} threw; the port carries on")]
    internal static partial void DatagramProtocolFailed(ILogger logger, Exception exception, string? protocol, string callback, string port);

    [LoggerMessage(EventId = 154, Level = LogLevel.Warning, Message = "recvfrom on {Port} failed: {Error}")]
    internal static partial void ReceiveFromFailed(ILogger logger, string port, Errno error);

    [LoggerMessage(EventId = 155, Level = LogLevel.Warning, Message = "{Port} dropped a datagram from {Sender}: longer than MaxPacketSize ({Max} bytes)")]
    internal static partial void DatagramTooLong(ILogger logger, string port, object? sender, int max);
}
