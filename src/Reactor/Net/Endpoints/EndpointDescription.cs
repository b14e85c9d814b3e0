using System.Text;

namespace Reactor.Net.Endpoints;

/// <summary>
/// An endpoint description string split into its parts (Twisted's <c>endpoints._parse</c>):
/// <c>prefix:arg:arg:key=value</c>. A <c>:</c> separates segments; the first <c>=</c> of a segment
/// separates a key from its value (later ones belong to the value, so <c>a=b=c</c> sets <c>a</c> to
/// <c>b=c</c>); a backslash makes the next character literal, whatever it is.
/// </summary>
public sealed class EndpointDescription
{
    private readonly List<EndpointSegment> _segments;

    private EndpointDescription(string text, List<EndpointSegment> segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The description as given.</summary>
    public string Text { get; }

    /// <summary>The endpoint type: the first segment, lower-cased (<c>tcp</c>, <c>unix</c>, ...).</summary>
    public string Prefix => _segments[0].Value.ToLowerInvariant();

    /// <summary>The prefix segment as written, for error messages.</summary>
    internal EndpointSegment PrefixSegment => _segments[0];

    /// <summary>Every segment after the prefix, in order, positional and keyword alike.</summary>
    public IReadOnlyList<EndpointSegment> Segments => _segments.GetRange(1, _segments.Count - 1);

    /// <summary>The positional arguments after the prefix, unescaped, in order.</summary>
    public IReadOnlyList<string> Arguments => [.. _segments.Skip(1).Where(s => s.Key is null).Select(s => s.Value)];

    /// <summary>The keyword arguments, unescaped. Keys are case-sensitive, as in Twisted.</summary>
    public IReadOnlyDictionary<string, string> Keywords =>
        _segments.Skip(1).Where(s => s.Key is not null).ToDictionary(s => s.Key!, s => s.Value, StringComparer.Ordinal);

    /// <summary>Splits <paramref name="description"/> into its prefix, positional and keyword arguments.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="EndpointParseError">
    /// The string is empty, has no type prefix, ends with a lone backslash, has a segment with an
    /// empty key, or gives the same key twice.
    /// </exception>
    public static EndpointDescription Parse(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Length == 0)
        {
            throw new EndpointParseError(description, null, "the description is empty; it must start with an endpoint type such as \"tcp:\".");
        }

        var segments = new List<EndpointSegment>();
        var current = new StringBuilder();
        string? key = null;
        int start = 0;
        for (int i = 0; i < description.Length; i++)
        {
            char c = description[i];
            if (c == '\\')
            {
                if (++i == description.Length)
                {
                    throw new EndpointParseError(description, description[start..],
                        "it ends with a lone backslash; write \\\\ for a literal backslash.");
                }
                current.Append(description[i]);
            }
            else if (c == ':')
            {
                segments.Add(MakeSegment(description, start, i, key, current.ToString()));
                current.Clear();
                key = null;
                start = i + 1;
            }
            else if (c == '=' && key is null)
            {
                key = current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        segments.Add(MakeSegment(description, start, description.Length, key, current.ToString()));

        if (segments[0].Key is not null || segments[0].Value.Length == 0)
        {
            throw new EndpointParseError(description, segments[0].Text,
                "the first segment must be the endpoint type, such as \"tcp\" or \"unix\".");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            if (segment.Key is not null && !seen.Add(segment.Key))
            {
                throw new EndpointParseError(description, segment.Text, $"the key \"{segment.Key}\" is given more than once.");
            }
        }
        return new EndpointDescription(description, segments);
    }

    /// <summary>
    /// Escapes <paramref name="argument"/> so it can be placed in a description as one value:
    /// backslashes, colons and equals signs get a backslash (Twisted's <c>quoteStringArgument</c>,
    /// which leaves <c>=</c> alone; escaping it too keeps a positional value containing <c>=</c>
    /// from being read as a key).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="argument"/> is null.</exception>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return argument.Replace("\\", "\\\\").Replace(":", "\\:").Replace("=", "\\=");
    }

    private static EndpointSegment MakeSegment(string description, int start, int end, string? key, string value)
    {
        var text = description[start..end];
        if (key is not null && key.Length == 0)
        {
            throw new EndpointParseError(description, text, "the key before \"=\" is empty.");
        }
        return new EndpointSegment(text, key, value);
    }
}

/// <summary>One <c>:</c>-separated part of an endpoint description.</summary>
/// <param name="Text">The segment as written, escapes included (what error messages quote).</param>
/// <param name="Key">The key before the first unescaped <c>=</c>, unescaped; null for a positional argument.</param>
/// <param name="Value">The value, unescaped.</param>
public sealed record EndpointSegment(string Text, string? Key, string Value);
