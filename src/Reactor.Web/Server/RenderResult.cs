using Reactor.Defer;

namespace Reactor.Web.Server;

/// <summary>
/// What <see cref="Resource.Render"/> returns: the whole body (bytes or text), or
/// <see cref="NotDoneYet"/> (Twisted's <c>NOT_DONE_YET</c>: the resource finishes the request
/// itself, later), or a <see cref="Task"/> / Deferred after whose completion the request is finished
/// if the resource did not finish it. A failed task or Deferred gets a 500 (or an abort, once the
/// head is out) and is logged.
/// </summary>
public readonly struct RenderResult
{
    private static readonly object NotDoneYetMarker = new();

    private RenderResult(object? value, ReadOnlyMemory<byte> body)
    {
        Value = value;
        Body = body;
    }

    internal object? Value { get; }

    internal ReadOnlyMemory<byte> Body { get; }

    internal bool IsNotDoneYet => ReferenceEquals(Value, NotDoneYetMarker);

    /// <summary>The resource will call <see cref="Request.Finish"/> itself (Twisted's <c>NOT_DONE_YET</c>).</summary>
    public static RenderResult NotDoneYet => new(NotDoneYetMarker, default);

    /// <summary>The request is finished when <paramref name="deferred"/> fires (if the resource has not finished it).</summary>
    public static RenderResult Later<T>(Deferred<T> deferred)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        return new RenderResult(deferred.AddCallbacks<object?>(_ => null, failure =>
        {
            failure.Rethrow();
            return null;
        }).ToTask(), default);
    }

    /// <summary>The whole response body.</summary>
    public static implicit operator RenderResult(byte[] body) => new(null, body);

    /// <summary>The whole response body.</summary>
    public static implicit operator RenderResult(ReadOnlyMemory<byte> body) => new(null, body);

    /// <summary>The whole response body, encoded as UTF-8.</summary>
    public static implicit operator RenderResult(string body) => new(null, System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>The request is finished when <paramref name="task"/> completes (if the resource has not finished it).</summary>
    public static implicit operator RenderResult(Task task) => new(task, default);

    /// <summary>The request is finished when the Deferred fires (if the resource has not finished it).</summary>
    public static implicit operator RenderResult(Deferred<object?> deferred) => Later(deferred);
}
