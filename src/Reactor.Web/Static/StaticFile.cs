using System.Globalization;
using System.Net;
using System.Text;
using Reactor.Web.Http;
using Reactor.Web.Server;

namespace Reactor.Web.Static;

/// <summary>
/// Serves a file, or a folder and everything under it (Twisted's <c>twisted.web.static.File</c>):
/// content type by extension, <c>ETag</c> and <c>Last-Modified</c> with conditional GET (304),
/// single <c>Range</c> requests (206, 416), and a folder's <c>index.html</c> or a listing. Files are
/// read by a producer one piece at a time as the client takes them: memory per connection is
/// bounded whatever the file size.
/// </summary>
/// <remarks>
/// Path segments are percent-decoded; a segment that is empty, <c>.</c>, <c>..</c>, or holds a
/// slash, backslash or NUL is not found (404), so no request reaches outside the folder through
/// its name. Symbolic links inside the folder are followed.
/// </remarks>
public sealed class StaticFile : Resource
{
    /// <summary>Serves <paramref name="path"/> (a file or a folder).</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="listDirectories">True to answer a folder without <c>index.html</c> with a listing (default); false for 404.</param>
    public StaticFile(string path, bool listDirectories = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FullPath = System.IO.Path.GetFullPath(path);
        ListDirectories = listDirectories;
    }

    /// <summary>The file or folder served.</summary>
    public string FullPath { get; }

    /// <summary>Whether folders without an index get a listing.</summary>
    public bool ListDirectories { get; }

    /// <inheritdoc/>
    public override bool IsLeaf => File.Exists(FullPath);

    /// <inheritdoc/>
    public override Resource GetChild(string path, Request request)
    {
        if (!Directory.Exists(FullPath)) return ErrorPage.NotFound;
        if (path.Length == 0) return this; // "dir/" renders the folder itself
        var name = QueryString.Decode(Encoding.Latin1.GetBytes(path));
        if (name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0) return ErrorPage.NotFound;
        var child = System.IO.Path.Combine(FullPath, name);
        if (!File.Exists(child) && !Directory.Exists(child)) return ErrorPage.NotFound;
        return new StaticFile(child, ListDirectories);
    }

    /// <inheritdoc/>
    protected override RenderResult RenderGet(Request request)
    {
        if (Directory.Exists(FullPath)) return RenderDirectory(request);
        FileStream file;
        try
        {
            file = new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return ErrorPage.NotFound.Render(request);
        }
        catch (UnauthorizedAccessException)
        {
            return ErrorPage.Render(request, 403, "Access denied.");
        }
        var info = new FileInfo(FullPath);
        var length = file.Length;
        var modified = new DateTimeOffset(info.LastWriteTimeUtc);
        var etag = $"\"{length:x}-{modified.UtcTicks:x}\"";
        request.SetHeader("Accept-Ranges", "bytes");
        request.SetHeader("Content-Type", ContentTypes.For(FullPath));
        var notModified = request.SetETag(etag) | request.SetLastModified(modified);
        if (notModified)
        {
            file.Dispose();
            request.Finish();
            return RenderResult.NotDoneYet;
        }
        var range = new ByteRange(0, length - 1);
        var ifRange = request.GetHeader("If-Range");
        var rangeAllowed = ifRange is null || ifRange == etag
            || HttpDate.TryParse(ifRange, out var ifRangeDate) && ifRangeDate.ToUnixTimeSeconds() == modified.ToUnixTimeSeconds();
        var asked = default(ByteRange);
        switch (rangeAllowed ? ByteRange.Parse(request.GetHeader("Range"), length, out asked) : RangeResult.Whole)
        {
            case RangeResult.Unsatisfiable:
                file.Dispose();
                request.SetHeader("Content-Range", $"bytes */{length}");
                return ErrorPage.Render(request, HttpStatus.RangeNotSatisfiable, "The range is outside the file.");
            case RangeResult.Partial:
                range = asked;
                request.SetResponseCode(HttpStatus.PartialContent);
                request.SetHeader("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes {range.First}-{range.Last}/{length}"));
                break;
        }
        request.SetHeader("Content-Length", range.Length.ToString(CultureInfo.InvariantCulture));
        if (request.IsHead || range.Length <= 0)
        {
            file.Dispose();
            request.Finish();
            return RenderResult.NotDoneYet;
        }
        new FileProducer(request, file, range).Start();
        return RenderResult.NotDoneYet;
    }

    private RenderResult RenderDirectory(Request request)
    {
        var path = request.Path;
        if (!path.EndsWith('/'))
        {
            // Relative links inside the folder need the slash (Twisted's addSlash).
            request.SetResponseCode(301);
            request.SetHeader("Location", path + "/" + (request.QueryBytes.IsEmpty ? "" : "?" + Encoding.Latin1.GetString(request.QueryBytes)));
            return Array.Empty<byte>();
        }
        var index = System.IO.Path.Combine(FullPath, "index.html");
        if (File.Exists(index)) return new StaticFile(index, ListDirectories).Render(request);
        if (!ListDirectories) return ErrorPage.NotFound.Render(request);
        var html = new StringBuilder();
        var title = WebUtility.HtmlEncode(QueryString.Decode(request.PathBytes));
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\n<h1>{title}</h1>\n<ul>\n");
        foreach (var entry in new DirectoryInfo(FullPath).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = entry.Name + (entry is DirectoryInfo ? "/" : "");
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Uri.EscapeDataString(entry.Name)}{(entry is DirectoryInfo ? "/" : "")}\">{WebUtility.HtmlEncode(name)}</a></li>\n");
        }
        html.Append("</ul>\n</body></html>\n");
        request.SetHeader("Content-Type", "text/html; charset=utf-8");
        return html.ToString();
    }
}
