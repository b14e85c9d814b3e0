using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Unix;

/// <summary>
/// The rules for UNIX socket paths: a path starting with <c>'\0'</c> or <c>'@'</c> names a socket
/// in the Linux abstract namespace (no file, nothing to chmod or unlink); any other is a file.
/// </summary>
internal static class UnixPaths
{
    /// <summary>The longest path sun_path holds, terminator included (108 on Linux, 104 on the BSDs).</summary>
    public static readonly int MaxPathBytes = OperatingSystem.IsLinux() ? 108 : 104;

    /// <summary>True when <paramref name="path"/> names an abstract-namespace socket.</summary>
    public static bool IsAbstract(string path) => path.Length > 0 && (path[0] == '\0' || path[0] == '@');

    /// <summary>
    /// Checks <paramref name="path"/> and returns the endpoint for it (an '@' prefix becomes the
    /// kernel's '\0').
    /// </summary>
    /// <exception cref="ArgumentException">Empty, too long for sun_path, or abstract on a system without the abstract namespace.</exception>
    public static UnixDomainSocketEndPoint ToEndPoint(string path, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, parameter);
        var kernelPath = path[0] == '@' ? "\0" + path[1..] : path;
        if (IsAbstract(path) && !OperatingSystem.IsLinux())
        {
            throw new ArgumentException($"'{Printable(path)}' names the abstract namespace, which only Linux has.", parameter);
        }
        var bytes = System.Text.Encoding.UTF8.GetByteCount(kernelPath) + (IsAbstract(path) ? 0 : 1);
        if (bytes > MaxPathBytes)
        {
            throw new ArgumentException($"The UNIX socket path '{Printable(path)}' is {bytes} bytes; sun_path holds at most {MaxPathBytes}.", parameter);
        }
        return new UnixDomainSocketEndPoint(kernelPath);
    }

    /// <summary>The path of a filesystem socket endpoint, or null for an abstract or unnamed one.</summary>
    public static string? FilePath(EndPoint endPoint)
    {
        if (endPoint is not UnixDomainSocketEndPoint unix) return null;
        var text = unix.ToString();
        // .NET prints an abstract name as "@name".
        return text.Length == 0 || text[0] == '@' || text[0] == '\0' ? null : text;
    }

    /// <summary>The path as people write it: the abstract namespace's '\0' shown as '@'.</summary>
    public static string Printable(string path) => path.Length > 0 && path[0] == '\0' ? "@" + path[1..] : path;
}
