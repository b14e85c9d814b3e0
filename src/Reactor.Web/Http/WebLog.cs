using Microsoft.Extensions.Logging;

namespace Reactor.Web.Http;

/// <summary>The log messages of Reactor.Web (event ids 600-619; source-generated).</summary>
internal static partial class WebLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Error, Message = "Unhandled error rendering {Method} {Uri}")]
    internal static partial void RenderFailed(ILogger logger, Exception exception, string method, string uri);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "A response body protocol raised an exception")]
    internal static partial void ResponseBodyProtocolFailed(ILogger logger, Exception exception);
}
