namespace Reactor.Examples.KeyValue;

/// <summary>
/// The keys and values every connection shares, with a bound on how many keys it holds (a client
/// cannot grow it without limit), and the counters the periodic report prints.
/// </summary>
public sealed class Store(int maxKeys)
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>The most keys held at once.</summary>
    public int MaxKeys { get; } = maxKeys;

    /// <summary>Keys held now.</summary>
    public int Count => _values.Count;

    /// <summary>Connections open now.</summary>
    public int Connections { get; set; }

    /// <summary>Commands answered since the last report.</summary>
    public long CommandsSinceReport { get; set; }

    /// <summary>Connections closed for idleness since start.</summary>
    public long IdleClosed { get; set; }

    /// <summary>Sets <paramref name="key"/>; false when it is new and the store is full.</summary>
    public bool TrySet(string key, string value)
    {
        if (_values.Count >= MaxKeys && !_values.ContainsKey(key)) return false;
        _values[key] = value;
        return true;
    }

    /// <summary>The value of <paramref name="key"/>, if set.</summary>
    public bool TryGet(string key, out string value) => _values.TryGetValue(key, out value!);

    /// <summary>Removes <paramref name="key"/>; false if it was not set.</summary>
    public bool Delete(string key) => _values.Remove(key);

    /// <summary>The periodic report's line; resets the per-report counter.</summary>
    public string Report()
    {
        var line = $"KeyValue: {Count} keys, {Connections} connections, {CommandsSinceReport} commands since last report, {IdleClosed} closed idle";
        CommandsSinceReport = 0;
        return line;
    }
}
