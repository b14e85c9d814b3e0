using System.Net;
using Microsoft.Extensions.Logging;

namespace Reactor.Net.Internal;

/// <summary>TLS: event ids 200-209.</summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Error, Message = "Unhandled exception in {Protocol}.ConnectionLost")]
    internal static partial void TlsConnectionLostFailed(ILogger logger, Exception exception, string protocol);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Unhandled exception in {Protocol}; closing the connection")]
    internal static partial void TlsApplicationFailed(ILogger logger, Exception exception, string protocol);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Unexpected error in the TLS layer; closing the connection")]
    internal static partial void TlsLayerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Disposing the TLS session failed")]
    internal static partial void TlsDisposeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 204, Level = LogLevel.Debug, Message = "Could not send TLS close_notify")]
    internal static partial void TlsCloseNotifyFailed(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "{Count} TLS handshakes are in progress, the limit (TlsServerOptions.MaxConcurrentHandshakes); refusing new connections (from {Peer} first) until one finishes")]
    internal static partial void TlsHandshakesLimited(ILogger logger, int count, EndPoint peer);
}
