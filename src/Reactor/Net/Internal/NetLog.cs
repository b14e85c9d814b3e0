using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>
/// The log messages of the network layer, source-generated (nothing is formatted unless the level is
/// enabled). Event ids: 100-119 stream listeners, connectors and transports; 120-129 UNIX sockets
/// (NetLog.Unix.cs); 150-159 datagrams (NetLog.Datagram.cs); 200-209 TLS (NetLog.Tls.cs); 300-339
/// processes, standard I/O, blocking handlers and name resolution (NetLog.Processes.cs).
/// </summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "accept() on {Port} failed: {Error}")]
    internal static partial void AcceptFailed(ILogger logger, object port, Errno error);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "accept() on {Port} failed with {Error}; pausing accepting for {Delay} ms")]
    internal static partial void AcceptPaused(ILogger logger, object port, Errno error, double delay);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "BuildProtocol of {Factory} failed for {Peer} on {Port}; closing the connection")]
    internal static partial void AcceptedBuildProtocolFailed(ILogger logger, Exception exception, string? factory, EndPoint peer, object port);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Could not start the connection from {Peer} on {Port}, closed it: {Error}")]
    internal static partial void AcceptedConnectionNotStarted(ILogger logger, EndPoint peer, object port, string error);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "DoStop of {Factory} failed")]
    internal static partial void FactoryDoStopFailed(ILogger logger, Exception exception, string? factory);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Unhandled exception in {Callback} of {Protocol} on {Transport}; closing the connection")]
    internal static partial void ProtocolCallbackFailed(ILogger logger, Exception exception, string callback, string? protocol, string transport);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "accept() on {Port}: the back-off for {Error} ended after {Pauses} pause(s) over {Elapsed:F0} ms")]
    internal static partial void AcceptBackOffEnded(ILogger logger, object port, Errno error, int pauses, double elapsed);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "io_uring multishot accept refused ({Reason}); listeners accept on readiness instead of completions")]
    internal static partial void IoUringMultishotAcceptRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "BuildProtocol of {Factory} failed for {Peer}; closing the connection")]
    internal static partial void ConnectedBuildProtocolFailed(ILogger logger, Exception exception, string? factory, object peer);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "ClientConnectionFailed of {Factory} failed")]
    internal static partial void ClientConnectionFailedThrew(ILogger logger, Exception exception, string? factory);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "ClientConnectionLost of {Factory} failed")]
    internal static partial void ClientConnectionLostThrew(ILogger logger, Exception exception, string? factory);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "StartedConnecting of {Factory} failed")]
    internal static partial void StartedConnectingThrew(ILogger logger, Exception exception, string? factory);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "Closing {Transport}: the peer took none of the last {Pending} bytes in {Timeout}; aborting it")]
    internal static partial void CloseTimedOut(ILogger logger, object transport, long pending, TimeSpan timeout);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "Closing {Transport} (descriptor {Descriptor}) threw; the connection ends anyway and the number is never closed again")]
    internal static partial void CloseFailed(ILogger logger, Exception exception, object transport, int descriptor);
}
