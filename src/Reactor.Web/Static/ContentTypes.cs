namespace Reactor.Web.Static;

/// <summary>Media types by file extension (Twisted's <c>static.File.contentTypes</c>), for the files people serve most.</summary>
public static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".htm"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8", [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8", [".json"] = "application/json",
        [".txt"] = "text/plain; charset=utf-8", [".md"] = "text/markdown; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8", [".xml"] = "application/xml", [".svg"] = "image/svg+xml",
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".ico"] = "image/vnd.microsoft.icon", [".avif"] = "image/avif",
        [".woff"] = "font/woff", [".woff2"] = "font/woff2", [".ttf"] = "font/ttf", [".otf"] = "font/otf",
        [".pdf"] = "application/pdf", [".zip"] = "application/zip", [".gz"] = "application/gzip",
        [".tar"] = "application/x-tar", [".wasm"] = "application/wasm", [".mp4"] = "video/mp4",
        [".webm"] = "video/webm", [".mp3"] = "audio/mpeg", [".ogg"] = "audio/ogg", [".wav"] = "audio/wav",
    };

    /// <summary>The type used when the extension is unknown.</summary>
    public const string Default = "application/octet-stream";

    /// <summary>The media type for <paramref name="path"/>'s extension, or <see cref="Default"/>.</summary>
    public static string For(string path) => ByExtension.TryGetValue(System.IO.Path.GetExtension(path), out var type) ? type : Default;

    /// <summary>Adds or replaces the type of an extension (with its dot, e.g. <c>.yaml</c>).</summary>
    public static void Set(string extension, string mediaType) => ByExtension[extension] = mediaType;
}
