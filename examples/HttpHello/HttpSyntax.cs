namespace Reactor.Examples.HttpHello;

/// <summary>What a request line says, as far as this server cares.</summary>
public enum RequestLineStatus
{
    /// <summary><c>METHOD SP target SP HTTP/1.x</c>, well formed.</summary>
    Valid,

    /// <summary>Not a request line (400).</summary>
    Malformed,

    /// <summary>Well formed, but a major version other than 1 (505).</summary>
    UnsupportedVersion,
}

/// <summary>
/// The RFC 9112 grammar the server checks, on raw bytes (no strings): request lines, header field
/// names, the headers it acts on (Content-Length, Connection, Transfer-Encoding, Host).
/// </summary>
public static class HttpSyntax
{
    /// <summary>
    /// Checks <c>method SP request-target SP HTTP-version</c> (RFC 9112 §3). The method is a token,
    /// the target has no whitespace or control bytes, the version is <c>HTTP/DIGIT.DIGIT</c>.
    /// </summary>
    /// <param name="line">The line without its line ending.</param>
    /// <param name="isHead">True for a HEAD request (the response has no body).</param>
    /// <param name="minorVersion">The minor version of an HTTP/1.x request.</param>
    public static RequestLineStatus ParseRequestLine(ReadOnlySpan<byte> line, out bool isHead, out int minorVersion)
    {
        isHead = false;
        minorVersion = 0;
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0 || !IsToken(line[..firstSpace])) return RequestLineStatus.Malformed;
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0) return RequestLineStatus.Malformed;
        foreach (var b in rest[..secondSpace])
        {
            if (b <= 0x20 || b == 0x7F) return RequestLineStatus.Malformed;
        }
        var version = rest[(secondSpace + 1)..];
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !IsDigit(version[5]) || version[6] != '.' || !IsDigit(version[7]))
        {
            return RequestLineStatus.Malformed;
        }
        if (version[5] != '1') return RequestLineStatus.UnsupportedVersion;
        isHead = line[..firstSpace].SequenceEqual("HEAD"u8);
        minorVersion = version[7] - '0';
        return RequestLineStatus.Valid;
    }

    /// <summary>
    /// Splits <c>field-name ":" OWS field-value OWS</c> (RFC 9110 §5). False for a line with no colon,
    /// an empty or non-token name (which includes whitespace before the colon), or obsolete line folding.
    /// </summary>
    public static bool TrySplitHeader(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon])) return false;
        name = line[..colon];
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }

    /// <summary>Reads a Content-Length value: one or more digits, no sign, no overflow.</summary>
    public static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty) return false;
        foreach (var b in value)
        {
            if (!IsDigit(b) || length > (long.MaxValue - 9) / 10) return false;
            length = length * 10 + (b - '0');
        }
        return true;
    }

    /// <summary>True if the comma-separated list <paramref name="value"/> holds <paramref name="option"/> (ASCII case-insensitive).</summary>
    public static bool ListContains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> option)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var item = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            if (EqualsIgnoreCase(item, option)) return true;
            if (comma < 0) break;
            value = value[(comma + 1)..];
        }
        return false;
    }

    /// <summary>ASCII case-insensitive comparison; <paramref name="lowerCase"/> must be lower case.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCase)
    {
        if (text.Length != lowerCase.Length) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b is >= (byte)'A' and <= (byte)'Z') b += 'a' - 'A';
            if (b != lowerCase[i]) return false;
        }
        return true;
    }

    /// <summary>True for a non-empty run of RFC 9110 tchar bytes.</summary>
    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return false;
        foreach (var b in text)
        {
            var ok = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || "!#$%&'*+-.^_`|~"u8.Contains(b);
            if (!ok) return false;
        }
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
