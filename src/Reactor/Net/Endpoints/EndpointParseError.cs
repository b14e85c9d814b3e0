namespace Reactor.Net.Endpoints;

/// <summary>
/// An endpoint description string could not be parsed. The message names the description, the
/// offending segment and, where a key was wrong, the keys that endpoint type accepts.
/// </summary>
public sealed class EndpointParseError : FormatException
{
    /// <summary>Creates the error.</summary>
    /// <param name="description">The whole description string.</param>
    /// <param name="segment">The <c>:</c>-separated segment at fault, as written (escapes included), or null when the fault is the string as a whole.</param>
    /// <param name="problem">What is wrong, in a sentence.</param>
    /// <param name="acceptedKeys">The keys the endpoint type accepts, or empty when no type was recognised.</param>
    /// <param name="inner">The error behind it, e.g. a certificate file that could not be read.</param>
    public EndpointParseError(string description, string? segment, string problem, IReadOnlyList<string>? acceptedKeys = null, Exception? inner = null)
        : base(Compose(description, segment, problem, acceptedKeys ?? []), inner)
    {
        Description = description;
        Segment = segment;
        Problem = problem;
        AcceptedKeys = acceptedKeys ?? [];
    }

    /// <summary>The description string that failed to parse.</summary>
    public string Description { get; }

    /// <summary>The segment at fault as written in <see cref="Description"/>, or null when the whole string is at fault.</summary>
    public string? Segment { get; }

    /// <summary>What is wrong with the segment.</summary>
    public string Problem { get; }

    /// <summary>The keys the endpoint type accepts (empty when the type itself was not recognised).</summary>
    public IReadOnlyList<string> AcceptedKeys { get; }

    private static string Compose(string description, string? segment, string problem, IReadOnlyList<string> acceptedKeys)
    {
        var where = segment is null ? "" : $" in segment \"{segment}\"";
        var keys = acceptedKeys.Count == 0 ? "" : $" Accepted keys: {string.Join(", ", acceptedKeys)}.";
        return $"Bad endpoint description \"{description}\"{where}: {problem}{keys}";
    }
}
