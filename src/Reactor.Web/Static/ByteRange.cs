namespace Reactor.Web.Static;

/// <summary>One byte range of a representation (RFC 9110 §14.1.2), resolved against its length.</summary>
public readonly record struct ByteRange(long First, long Last)
{
    /// <summary>How many bytes the range holds.</summary>
    public long Length => Last - First + 1;

    /// <summary>
    /// Reads a <c>Range</c> header for a representation of <paramref name="length"/> bytes.
    /// Returns <see cref="RangeResult.Whole"/> for no header, a unit other than bytes, several
    /// ranges (served whole, which RFC 9110 allows) or a malformed value; <see cref="RangeResult.Unsatisfiable"/>
    /// when no byte of the range exists; <see cref="RangeResult.Partial"/> with the range otherwise.
    /// </summary>
    public static RangeResult Parse(string? header, long length, out ByteRange range)
    {
        range = default;
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return RangeResult.Whole;
        var spec = header[6..].Trim();
        if (spec.Contains(',')) return RangeResult.Whole;
        var dash = spec.IndexOf('-');
        if (dash < 0) return RangeResult.Whole;
        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.Length == 0)
        {
            // Suffix: the last N bytes.
            if (!long.TryParse(lastText, System.Globalization.NumberStyles.None, null, out var suffix)) return RangeResult.Whole;
            if (suffix == 0 || length == 0) return RangeResult.Unsatisfiable;
            range = new ByteRange(Math.Max(0, length - suffix), length - 1);
            return RangeResult.Partial;
        }
        if (!long.TryParse(firstText, System.Globalization.NumberStyles.None, null, out var first)) return RangeResult.Whole;
        var last = length - 1;
        if (lastText.Length > 0)
        {
            if (!long.TryParse(lastText, System.Globalization.NumberStyles.None, null, out last) || last < first) return RangeResult.Whole;
        }
        if (first >= length) return RangeResult.Unsatisfiable;
        range = new ByteRange(first, Math.Min(last, length - 1));
        return RangeResult.Partial;
    }
}

/// <summary>What a <c>Range</c> header asks for.</summary>
public enum RangeResult
{
    /// <summary>The whole representation (200).</summary>
    Whole,

    /// <summary>One range (206).</summary>
    Partial,

    /// <summary>No byte of the range exists (416).</summary>
    Unsatisfiable,
}
