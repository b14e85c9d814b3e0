using System.Text;
using Reactor.Web.Http;

namespace Reactor.Web.Server;

/// <summary>
/// A node of the URL tree (Twisted's <c>twisted.web.resource.Resource</c>). A request's path is
/// walked segment by segment from the site's root through <see cref="GetChildWithDefault"/> until
/// a leaf or the end of the path; the resource reached renders the request.
/// </summary>
/// <remarks>
/// Override <see cref="RenderGet"/>, <see cref="RenderPost"/>… (Twisted's <c>render_GET</c>…),
/// or <see cref="Render"/> itself. HEAD is rendered as GET with the body left out. As in Twisted,
/// <c>/</c> asks the root for the child <c>""</c>: put one (<c>PutChild("", index)</c>) or make
/// the root a leaf.
/// </remarks>
public class Resource
{
    private readonly Dictionary<string, Resource> _children = new(StringComparer.Ordinal);

    /// <summary>True if this resource renders every path below it itself (Twisted's <c>isLeaf</c>).</summary>
    public virtual bool IsLeaf => false;

    /// <summary>
    /// True if the request body is streamed to the resource (<see cref="Request.DeliverBody"/>)
    /// rather than read whole into <see cref="Request.Content"/> before <see cref="Render"/> (the default).
    /// </summary>
    public virtual bool StreamRequestBody => false;

    /// <summary>The methods this resource answers, for the <c>Allow</c> header of a 405 (default GET and HEAD).</summary>
    public virtual IReadOnlyList<string> AllowedMethods => ["GET", "HEAD"];

    /// <summary>The children registered with <see cref="PutChild"/>.</summary>
    public IReadOnlyDictionary<string, Resource> Children => _children;

    /// <summary>Registers <paramref name="child"/> under path segment <paramref name="path"/> (Twisted's <c>putChild</c>).</summary>
    public void PutChild(string path, Resource child)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(child);
        if (path.Contains('/')) throw new ArgumentException("A child's path is one segment: it cannot contain '/'.", nameof(path));
        _children[path] = child;
    }

    /// <summary>A child not registered with <see cref="PutChild"/> (Twisted's <c>getChild</c>); default: 404.</summary>
    public virtual Resource GetChild(string path, Request request) => ErrorPage.NotFound;

    /// <summary>The registered child <paramref name="path"/>, else <see cref="GetChild"/> (Twisted's <c>getChildWithDefault</c>; override <see cref="GetChild"/> to serve other names).</summary>
    public Resource GetChildWithDefault(string path, Request request) =>
        _children.TryGetValue(path, out var child) ? child : GetChild(path, request);

    /// <summary>The child for a raw path segment, without a string when it is a registered child.</summary>
    internal Resource ChildForSegment(ReadOnlySpan<byte> segment, Request request)
    {
        if (_children.Count > 0 && segment.Length <= 256)
        {
            Span<char> chars = stackalloc char[segment.Length];
            var length = Encoding.Latin1.GetChars(segment, chars);
            if (_children.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..length], out var child)) return child;
        }
        return GetChildWithDefault(Encoding.Latin1.GetString(segment), request);
    }

    /// <summary>Renders the request by method (Twisted's <c>render</c>): GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS; others get 405.</summary>
    public virtual RenderResult Render(Request request)
    {
        var method = request.MethodBytes;
        if (method.SequenceEqual("GET"u8)) return RenderGet(request);
        if (method.SequenceEqual("HEAD"u8)) return RenderHead(request);
        if (method.SequenceEqual("POST"u8)) return RenderPost(request);
        if (method.SequenceEqual("PUT"u8)) return RenderPut(request);
        if (method.SequenceEqual("DELETE"u8)) return RenderDelete(request);
        if (method.SequenceEqual("PATCH"u8)) return RenderPatch(request);
        if (method.SequenceEqual("OPTIONS"u8)) return RenderOptions(request);
        return NotAllowed(request);
    }

    /// <summary>GET (Twisted's <c>render_GET</c>); default: 405.</summary>
    protected virtual RenderResult RenderGet(Request request) => NotAllowed(request);

    /// <summary>HEAD; default: <see cref="RenderGet"/> with the body left out.</summary>
    protected virtual RenderResult RenderHead(Request request) => RenderGet(request);

    /// <summary>POST; default: 405.</summary>
    protected virtual RenderResult RenderPost(Request request) => NotAllowed(request);

    /// <summary>PUT; default: 405.</summary>
    protected virtual RenderResult RenderPut(Request request) => NotAllowed(request);

    /// <summary>DELETE; default: 405.</summary>
    protected virtual RenderResult RenderDelete(Request request) => NotAllowed(request);

    /// <summary>PATCH; default: 405.</summary>
    protected virtual RenderResult RenderPatch(Request request) => NotAllowed(request);

    /// <summary>OPTIONS; default: 204 with <c>Allow</c>.</summary>
    protected virtual RenderResult RenderOptions(Request request)
    {
        request.SetResponseCode(204);
        request.SetHeader("Allow", string.Join(", ", AllowedMethods));
        return Array.Empty<byte>();
    }

    /// <summary>405 Method Not Allowed with <c>Allow</c> (Twisted's <c>UnsupportedMethod</c>).</summary>
    protected RenderResult NotAllowed(Request request)
    {
        request.SetHeader("Allow", string.Join(", ", AllowedMethods));
        return ErrorPage.Render(request, HttpStatus.MethodNotAllowed, "This resource does not allow that method.");
    }
}
