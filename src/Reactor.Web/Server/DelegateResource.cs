namespace Reactor.Web.Server;

/// <summary>
/// A leaf resource that hands every request to a delegate: the .NET way of writing a handler.
/// <c>async</c> handlers run on the reactor thread; the request is finished when the returned task
/// completes, unless the handler finished it.
/// </summary>
public sealed class DelegateResource : Resource
{
    private readonly Func<Request, Task>? _async;
    private readonly Action<Request>? _sync;
    private readonly bool _streamBody;

    /// <summary>A handler that finishes the request (or returns and lets it be finished) by the returned task.</summary>
    /// <param name="handler">Called once per request.</param>
    /// <param name="streamRequestBody">True to stream request bodies (<see cref="Request.DeliverBody"/>) instead of reading them whole first.</param>
    public DelegateResource(Func<Request, Task> handler, bool streamRequestBody = false)
    {
        _async = handler ?? throw new ArgumentNullException(nameof(handler));
        _streamBody = streamRequestBody;
    }

    /// <summary>A synchronous handler; the request is finished when it returns, unless it called <see cref="Request.Finish"/>.</summary>
    public DelegateResource(Action<Request> handler, bool streamRequestBody = false)
    {
        _sync = handler ?? throw new ArgumentNullException(nameof(handler));
        _streamBody = streamRequestBody;
    }

    /// <inheritdoc/>
    public override bool IsLeaf => true;

    /// <inheritdoc/>
    public override bool StreamRequestBody => _streamBody;

    /// <inheritdoc/>
    public override RenderResult Render(Request request)
    {
        if (_sync is not null)
        {
            _sync(request);
            return Array.Empty<byte>();
        }
        return _async!(request);
    }
}
