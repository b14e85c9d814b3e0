using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Protocols;
using Reactor.Time;
using Reactor.Web.Http;

namespace Reactor.Web.Server;

/// <summary>
/// The protocol factory of an HTTP server (Twisted's <c>twisted.web.server.Site</c>): each
/// connection gets an <see cref="HttpChannel"/>, each request is routed from <see cref="Root"/>.
/// </summary>
/// <example>
/// <code>
/// var root = new Resource();
/// root.PutChild("hello", new DelegateResource(request => request.Write("Hello!")));
/// reactor.ListenTcp(8080, new Site(root, reactor));
/// </code>
/// </example>
public class Site : Factory
{
    /// <summary>Creates a site serving <paramref name="root"/>.</summary>
    /// <param name="root">The resource at <c>/</c>.</param>
    /// <param name="time">The reactor (or a clock in tests): timeouts and linger are scheduled on it.</param>
    /// <param name="options">Limits and timeouts; null for the defaults.</param>
    /// <param name="logger">
    /// Where handler failures are logged; null for the reactor's logger when <paramref name="time"/> is a
    /// <see cref="ReactorLoop"/>, else <see cref="Reactor.Defer.Deferred.Logger"/> (the process-wide default).
    /// </param>
    /// <param name="date">The shared <c>Date</c> source; null for the system clock.</param>
    public Site(Resource root, IReactorTime time, HttpServerOptions? options = null, ILogger? logger = null, HttpDate? date = null)
    {
        Root = root ?? throw new ArgumentNullException(nameof(root));
        Time = time ?? throw new ArgumentNullException(nameof(time));
        Options = options ?? new HttpServerOptions();
        Options.Validate();
        Logger = logger ?? (time as ReactorLoop)?.Logger ?? Reactor.Defer.Deferred.Logger;
        Date = date ?? new HttpDate();
        ServerHeader = Options.ServerName is { } name ? Encoding.Latin1.GetBytes($"Server: {name}\r\n") : null;
    }

    /// <summary>A site that sends every request to <paramref name="handler"/> (the .NET style).</summary>
    public static Site ForHandler(Func<Request, Task> handler, IReactorTime time, HttpServerOptions? options = null, ILogger? logger = null) =>
        new(new DelegateResource(handler), time, options, logger);

    /// <summary>A site that sends every request to a synchronous <paramref name="handler"/>.</summary>
    public static Site ForHandler(Action<Request> handler, IReactorTime time, HttpServerOptions? options = null, ILogger? logger = null) =>
        new(new DelegateResource(handler), time, options, logger);

    /// <summary>The resource at <c>/</c>.</summary>
    public Resource Root { get; }

    /// <summary>Limits and timeouts.</summary>
    public HttpServerOptions Options { get; }

    /// <summary>The reactor's clock.</summary>
    public IReactorTime Time { get; }

    /// <summary>Where handler failures go.</summary>
    public ILogger Logger { get; }

    /// <summary>The <c>Date</c> header source shared by this site's connections.</summary>
    public HttpDate Date { get; }

    internal byte[]? ServerHeader { get; }

    /// <inheritdoc/>
    public override IProtocol? BuildProtocol(EndPoint address) => new HttpChannel(this) { Factory = this };

    /// <summary>
    /// The resource for <paramref name="request"/> (Twisted's <c>getResourceFor</c>): path segments
    /// are walked from the root while the current resource is not a leaf.
    /// </summary>
    public Resource GetResourceFor(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resource = Root;
        var path = request.PathBytes;
        var position = 0;
        // The path starts with '/' (or is empty for "*" and authority-less absolute forms).
        while (position < path.Length && !resource.IsLeaf)
        {
            var rest = path[(position + 1)..];
            var slash = rest.IndexOf((byte)'/');
            var segment = slash < 0 ? rest : rest[..slash];
            var end = position + 1 + segment.Length;
            request.PrePathEnd = end;
            resource = resource.ChildForSegment(segment, request);
            position = end;
        }
        return resource;
    }

    internal void LogHandlerFailure(Exception error, Request request)
    {
        WebLog.RenderFailed(Logger, error, request.Method, request.Uri);
    }

    /// <summary>Runs <paramref name="resource"/> for <paramref name="request"/> and finishes the request as its result says.</summary>
    internal static void Render(Resource resource, Request request)
    {
        RenderResult result;
        try
        {
            result = resource.Render(request);
        }
        catch (Exception ex)
        {
            request.ProcessingFailed(ex);
            return;
        }
        if (result.IsNotDoneYet) return;
        if (result.Value is Task task)
        {
            if (task.IsCompleted) Complete(task, request, request.Generation);
            else CompleteLater(task, request);
            return;
        }
        if (request.Finished || request.ConnectionLostBeforeFinish) return;
        try
        {
            request.Write(result.Body.Span);
            request.Finish();
        }
        catch (Exception ex)
        {
            request.ProcessingFailed(ex);
        }
    }

    // Separate from Render so that the closure is allocated only for a task that is not done yet.
    private static void CompleteLater(Task task, Request request)
    {
        var generation = request.Generation;
        // Continues on the reactor thread: the awaiter captures the reactor's SynchronizationContext.
        task.ConfigureAwait(true).GetAwaiter().OnCompleted(() => Complete(task, request, generation));
    }

    private static void Complete(Task task, Request request, int generation)
    {
        // The connection reuses its Request: a handler that finished and kept running must not touch the next one.
        if (request.Generation != generation) return;
        if (task.IsFaulted || task.IsCanceled)
        {
            request.ProcessingFailed(task.Exception?.InnerException ?? new TaskCanceledException(task));
            return;
        }
        if (!request.Finished && !request.ConnectionLostBeforeFinish) request.Finish();
    }
}
