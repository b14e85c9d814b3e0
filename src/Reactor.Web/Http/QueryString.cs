using System.Text;

namespace Reactor.Web.Http;

/// <summary>Parses <c>application/x-www-form-urlencoded</c> text (a query string or a form body).</summary>
public static class QueryString
{
    /// <summary>
    /// Splits <paramref name="query"/> on <c>&amp;</c> (and <c>;</c>), each part on its first <c>=</c>,
    /// percent-decoding with <c>+</c> as space (UTF-8). Values of a repeated name keep their order.
    /// </summary>
    public static Dictionary<string, List<string>> Parse(ReadOnlySpan<byte> query)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (!query.IsEmpty)
        {
            var end = query.IndexOfAny((byte)'&', (byte)';');
            var part = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];
            if (part.IsEmpty) continue;
            var equals = part.IndexOf((byte)'=');
            var name = Decode(equals < 0 ? part : part[..equals], plusIsSpace: true);
            var value = equals < 0 ? "" : Decode(part[(equals + 1)..], plusIsSpace: true);
            if (!result.TryGetValue(name, out var values)) result[name] = values = [];
            values.Add(value);
        }
        return result;
    }

    /// <summary>Percent-decodes <paramref name="text"/> as UTF-8; a malformed escape is kept as written.</summary>
    public static string Decode(ReadOnlySpan<byte> text, bool plusIsSpace = false)
    {
        Span<byte> buffer = text.Length <= 512 ? stackalloc byte[text.Length] : new byte[text.Length];
        var length = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '%' && i + 2 < text.Length)
            {
                var high = HttpSyntax.HexValue(text[i + 1]);
                var low = HttpSyntax.HexValue(text[i + 2]);
                if (high >= 0 && low >= 0)
                {
                    buffer[length++] = (byte)(high * 16 + low);
                    i += 2;
                    continue;
                }
            }
            buffer[length++] = plusIsSpace && b == '+' ? (byte)' ' : b;
        }
        return Encoding.UTF8.GetString(buffer[..length]);
    }
}
