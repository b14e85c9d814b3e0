using System.Text;
using Reactor.Web.Http;

namespace Reactor.Web.Server;

/// <summary>A resource answering every request with one status and a short text (Twisted's <c>ErrorPage</c> / <c>NoResource</c>).</summary>
public sealed class ErrorPage : Resource
{
    private readonly byte[] _body;

    /// <summary>Creates the page.</summary>
    public ErrorPage(int status, string detail)
    {
        Status = status;
        _body = Encoding.UTF8.GetBytes($"{status} {HttpStatus.ReasonPhrase(status)}\n{detail}\n");
    }

    /// <summary>404 Not Found (Twisted's <c>NoResource</c>).</summary>
    public static ErrorPage NotFound { get; } = new(HttpStatus.NotFound, "No such resource.");

    /// <summary>The status this page answers with.</summary>
    public int Status { get; }

    /// <inheritdoc/>
    public override bool IsLeaf => true;

    /// <inheritdoc/>
    public override IReadOnlyList<string> AllowedMethods => ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

    /// <inheritdoc/>
    public override Resource GetChild(string path, Request request) => this;

    /// <inheritdoc/>
    public override RenderResult Render(Request request)
    {
        request.SetResponseCode(Status);
        request.SetHeader("Content-Type"u8, "text/plain; charset=utf-8"u8);
        return _body;
    }

    /// <summary>Sets <paramref name="status"/> and returns a one-line text body for it.</summary>
    public static RenderResult Render(Request request, int status, string detail)
    {
        request.SetResponseCode(status);
        request.SetHeader("Content-Type"u8, "text/plain; charset=utf-8"u8);
        return $"{status} {HttpStatus.ReasonPhrase(status)}\n{detail}\n";
    }
}
