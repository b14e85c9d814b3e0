using System.Text;

namespace Reactor.Fuzz.Targets;

/// <summary>What a receiver delivered, in order: compared between two ways of cutting the same stream.</summary>
public sealed class EventLog
{
    private readonly List<string> _events = new();

    /// <summary>The events so far.</summary>
    public IReadOnlyList<string> Events => _events;

    /// <summary>Records a frame (or any event with a payload).</summary>
    public void Add(string kind, ReadOnlySpan<byte> payload) => _events.Add(kind + ":" + Convert.ToHexString(payload));

    /// <summary>Records an event without payload.</summary>
    public void Add(string kind) => _events.Add(kind);

    /// <summary>Records raw data, merged with a directly preceding raw chunk (raw chunks follow the reads).</summary>
    public void AddRaw(ReadOnlySpan<byte> payload)
    {
        var hex = Convert.ToHexString(payload);
        if (_events.Count > 0 && _events[^1].StartsWith("raw:", StringComparison.Ordinal)) _events[^1] += hex;
        else _events.Add("raw:" + hex);
    }

    /// <summary>Throws <see cref="FuzzFinding"/> unless <paramref name="other"/> holds the same events.</summary>
    public void AssertSameAs(EventLog other, string what)
    {
        if (_events.SequenceEqual(other._events)) return;
        var first = Enumerable.Range(0, Math.Max(_events.Count, other._events.Count))
            .First(i => i >= _events.Count || i >= other._events.Count || _events[i] != other._events[i]);
        var text = new StringBuilder($"{what}: the events differ from event {first}: ");
        text.Append(first < _events.Count ? _events[first] : "(none)").Append(" vs ");
        text.Append(first < other._events.Count ? other._events[first] : "(none)");
        throw new FuzzFinding(text.ToString());
    }
}
