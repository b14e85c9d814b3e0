using System.Text;

namespace Reactor.Web.Http;

/// <summary>
/// The bytes of one message head (start line and header fields) and where each field sits in them.
/// Reused from message to message: steady state allocates nothing.
/// </summary>
internal sealed class HeaderBlock
{
    private byte[] _bytes = new byte[512];
    private Field[] _fields = new Field[16];

    private struct Field
    {
        public int NameStart, NameLength, ValueStart, ValueLength;
    }

    public int Length { get; private set; }

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public void Reset()
    {
        Length = 0;
        Count = 0;
    }

    /// <summary>Forgets bytes from <paramref name="length"/> on (blank lines before a start line).</summary>
    public void Truncate(int length) => Length = length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Length + data.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(Length + data.Length, _bytes.Length * 2));
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }

    public ReadOnlySpan<byte> Slice(int start, int length) => _bytes.AsSpan(start, length);

    public void AddField(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (Count == _fields.Length) Array.Resize(ref _fields, Count * 2);
        _fields[Count++] = new Field { NameStart = nameStart, NameLength = nameLength, ValueStart = valueStart, ValueLength = valueLength };
    }

    public ReadOnlySpan<byte> NameAt(int index) => _bytes.AsSpan(_fields[index].NameStart, _fields[index].NameLength);

    public ReadOnlySpan<byte> ValueAt(int index) => _bytes.AsSpan(_fields[index].ValueStart, _fields[index].ValueLength);

    /// <summary>The first field named <paramref name="name"/> (ASCII case-insensitive).</summary>
    public bool TryGet(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < Count; i++)
        {
            if (HttpSyntax.EqualsIgnoreCaseBoth(NameAt(i), name))
            {
                value = ValueAt(i);
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The first field named <paramref name="name"/> as a string (Latin-1), or null.</summary>
    public string? Get(string name)
    {
        Span<byte> encoded = name.Length <= 256 ? stackalloc byte[name.Length] : new byte[name.Length];
        for (var i = 0; i < name.Length; i++) encoded[i] = name[i] < 128 ? (byte)name[i] : (byte)0;
        return TryGet(encoded, out var value) ? Encoding.Latin1.GetString(value) : null;
    }

    /// <summary>Every field, in order, as strings (allocates).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToList()
    {
        var list = new List<KeyValuePair<string, string>>(Count);
        for (var i = 0; i < Count; i++) list.Add(new(Encoding.Latin1.GetString(NameAt(i)), Encoding.Latin1.GetString(ValueAt(i))));
        return list;
    }
}
