namespace Reactor.Web.Http;

/// <summary>
/// The RFC 9110/9112 grammar on raw bytes (no strings): tokens, field values, numbers, lists.
/// </summary>
public static class HttpSyntax
{
    private static readonly bool[] TokenBytes = BuildTokenTable();

    /// <summary>True for a non-empty run of RFC 9110 <c>tchar</c> bytes.</summary>
    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return false;
        foreach (var b in text)
        {
            if (!TokenBytes[b]) return false;
        }
        return true;
    }

    /// <summary>
    /// True if <paramref name="value"/> is a valid field value: visible ASCII, obs-text, space and
    /// horizontal tab only (no NUL, CR, LF or other control bytes).
    /// </summary>
    public static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b < 0x20 && b != (byte)'\t' || b == 0x7F) return false;
        }
        return true;
    }

    /// <summary>True if <paramref name="target"/> is visible ASCII only (a request-target is a URI: no whitespace, control or non-ASCII bytes).</summary>
    public static bool IsRequestTarget(ReadOnlySpan<byte> target)
    {
        if (target.IsEmpty) return false;
        foreach (var b in target)
        {
            if (b <= 0x20 || b >= 0x7F) return false;
        }
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

    /// <summary>The last element of a comma-separated list, trimmed (empty if the list is empty).</summary>
    public static ReadOnlySpan<byte> LastListItem(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        return (comma < 0 ? value : value[(comma + 1)..]).Trim(" \t"u8);
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

    /// <summary>ASCII case-insensitive comparison of two byte strings.</summary>
    public static bool EqualsIgnoreCaseBoth(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length) return false;
        for (var i = 0; i < a.Length; i++)
        {
            if (ToLower(a[i]) != ToLower(b[i])) return false;
        }
        return true;
    }

    /// <summary>The ASCII lower-case form of one byte.</summary>
    public static byte ToLower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + ('a' - 'A')) : b;

    /// <summary>True for an ASCII digit.</summary>
    public static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>The value of a hexadecimal digit, or -1.</summary>
    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static bool[] BuildTokenTable()
    {
        var table = new bool[256];
        for (var b = 0; b < 256; b++)
        {
            table[b] = b is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' || "!#$%&'*+-.^_`|~".Contains((char)b);
        }
        return table;
    }
}
