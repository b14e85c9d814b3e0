using System.Collections;

namespace Reactor.Web.Http;

/// <summary>
/// An ordered, case-insensitive list of header fields (Twisted's <c>Headers</c>). Names and values
/// are checked when added: a name must be a token and a value cannot hold CR, LF or other control
/// characters, so a header can never inject another.
/// </summary>
public sealed class Headers : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    /// <summary>Creates an empty list.</summary>
    public Headers() { }

    /// <summary>Creates a list holding <paramref name="fields"/>.</summary>
    public Headers(IEnumerable<KeyValuePair<string, string>> fields)
    {
        foreach (var (name, value) in fields) Add(name, value);
    }

    /// <summary>How many fields there are.</summary>
    public int Count => _fields.Count;

    /// <summary>Adds a field (keeping earlier fields of the same name).</summary>
    /// <exception cref="ArgumentException">The name is not a token or the value holds a control character.</exception>
    public void Add(string name, string value)
    {
        Check(name, value);
        _fields.Add(new(name, value));
    }

    /// <summary>Replaces every field named <paramref name="name"/> with one holding <paramref name="value"/>.</summary>
    public void Set(string name, string value)
    {
        Check(name, value);
        Remove(name);
        _fields.Add(new(name, value));
    }

    /// <summary>Removes every field named <paramref name="name"/>; true if there was one.</summary>
    public bool Remove(string name) => _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>True if a field named <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => _fields.Exists(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        foreach (var (key, value) in _fields)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        }
        return null;
    }

    /// <summary>Every value of <paramref name="name"/>, in order (Twisted's <c>getRawHeaders</c>).</summary>
    public IReadOnlyList<string> GetAll(string name) =>
        _fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToList();

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void Check(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || name.Any(c => c > 127) || !HttpSyntax.IsToken(System.Text.Encoding.ASCII.GetBytes(name)))
        {
            throw new ArgumentException($"'{name}' is not a valid header name.", nameof(name));
        }
        if (value.Any(c => c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF))
        {
            throw new ArgumentException("A header value cannot contain CR, LF, other control characters or characters above U+00FF.", nameof(value));
        }
    }
}
