using Reactor.Errors;

namespace Reactor.Web.Http;

/// <summary>A message body was delivered completely (Twisted's <c>ResponseDone</c>); the reason a body protocol's <c>ConnectionLost</c> sees on success.</summary>
public class ResponseDone : ConnectionDone
{
    /// <summary>Creates the error.</summary>
    public ResponseDone(string message = "The body was delivered completely.") : base(message) { }
}

/// <summary>
/// A body without a length ended with the connection (Twisted's <c>PotentialDataLoss</c>): all of it
/// may have arrived, but nothing proves it.
/// </summary>
public class PotentialDataLoss : ConnectionDone
{
    /// <summary>Creates the error.</summary>
    public PotentialDataLoss(string message = "The body had no length and ended with the connection; it may be incomplete.") : base(message) { }
}

/// <summary>A request or response could not be completed (Twisted's <c>ResponseFailed</c> / <c>RequestNotSent</c>).</summary>
public class ResponseFailed : ConnectionLost
{
    /// <summary>Creates the error.</summary>
    public ResponseFailed(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The peer sent something that is not HTTP/1.1 (a malformed status line, header or body framing).</summary>
public class HttpProtocolError : ResponseFailed
{
    /// <summary>Creates the error.</summary>
    public HttpProtocolError(string message) : base(message) { }
}

/// <summary>A body was larger than the limit given to read it whole.</summary>
public class BodyTooLarge : ResponseFailed
{
    /// <summary>Creates the error.</summary>
    public BodyTooLarge(long limit) : base($"The body is larger than the limit of {limit} bytes.") => Limit = limit;

    /// <summary>The limit that was passed.</summary>
    public long Limit { get; }
}
