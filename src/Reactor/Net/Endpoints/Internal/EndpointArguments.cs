using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Endpoints.Internal;

/// <summary>
/// Binds a description's segments to the named parameters of one endpoint type and converts them,
/// turning every mistake into an <see cref="EndpointParseError"/> that names the segment and the
/// accepted keys. Positional arguments fill the positional parameters in order, skipping any given
/// by key (so <c>tcp:host=h:80</c> sets the port, as in Twisted's <c>_parseClientTCP</c>).
/// </summary>
internal sealed class EndpointArguments
{
    private readonly EndpointDescription _description;
    private readonly string[] _acceptedKeys;
    private readonly Dictionary<string, EndpointSegment> _bound = new(StringComparer.Ordinal);

    /// <param name="description">The parsed description.</param>
    /// <param name="positional">Parameters that may be given without a key, in order.</param>
    /// <param name="keywordOnly">Parameters that must be given as <c>key=value</c>.</param>
    public EndpointArguments(EndpointDescription description, string[] positional, string[] keywordOnly)
    {
        _description = description;
        _acceptedKeys = [.. positional, .. keywordOnly];
        var next = 0;
        foreach (var segment in description.Segments)
        {
            if (segment.Key is null)
            {
                continue;
            }
            if (Array.IndexOf(_acceptedKeys, segment.Key) < 0)
            {
                throw Error(segment, $"\"{segment.Key}\" is not a key of a {description.Prefix} endpoint.");
            }
            _bound[segment.Key] = segment;
        }
        foreach (var segment in description.Segments)
        {
            if (segment.Key is not null)
            {
                continue;
            }
            while (next < positional.Length && _bound.ContainsKey(positional[next]))
            {
                next++;
            }
            if (next == positional.Length)
            {
                var takes = positional.Length == 0
                    ? "takes no positional arguments"
                    : $"takes at most {positional.Length} positional argument(s) ({string.Join(", ", positional)})";
                throw Error(segment, $"unexpected positional argument: a {description.Prefix} endpoint {takes}.");
            }
            _bound[positional[next++]] = segment;
        }
    }

    /// <summary>The keys this endpoint type accepts, for error messages.</summary>
    public IReadOnlyList<string> AcceptedKeys => _acceptedKeys;

    /// <summary>True when <paramref name="name"/> was given, by key or position.</summary>
    public bool Has(string name) => _bound.ContainsKey(name);

    /// <summary>The raw value of a required parameter.</summary>
    public string Required(string name)
    {
        if (!_bound.TryGetValue(name, out var segment))
        {
            throw new EndpointParseError(_description.Text, null,
                $"a {_description.Prefix} endpoint needs \"{name}\".", _acceptedKeys);
        }
        return segment.Value;
    }

    /// <summary>The raw value of an optional parameter, or <paramref name="fallback"/>.</summary>
    public string? Optional(string name, string? fallback = null) =>
        _bound.TryGetValue(name, out var segment) ? segment.Value : fallback;

    /// <summary>A required, non-empty string.</summary>
    public string NonEmpty(string name)
    {
        var value = Required(name);
        if (value.Length == 0)
        {
            throw Error(_bound[name], $"\"{name}\" must not be empty.");
        }
        return value;
    }

    /// <summary>A port number, 0 to 65535; required unless <paramref name="fallback"/> is given.</summary>
    public int Port(string name = "port", int? fallback = null) => Integer(name, fallback, 0, IPEndPoint.MaxPort, "a port number");

    /// <summary>A decimal integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Integer(string name, int? fallback, int min, int max, string what = "an integer")
    {
        if (!_bound.TryGetValue(name, out var segment))
        {
            if (fallback is null)
            {
                Required(name);
            }
            return fallback!.Value;
        }
        if (!int.TryParse(segment.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(segment, $"\"{name}\" must be {what} from {min} to {max}, not \"{segment.Value}\".");
        }
        return value;
    }

    /// <summary>An octal file mode such as <c>660</c> or <c>0660</c> (Twisted's <c>int(mode, 8)</c>).</summary>
    public int OctalMode(string name, int fallback)
    {
        if (!_bound.TryGetValue(name, out var segment))
        {
            return fallback;
        }
        var text = segment.Value;
        if (text.Length is 0 or > 4 || text.Any(c => c is < '0' or > '7') || Convert.ToInt32(text, 8) > 511 /* 0777 */)
        {
            throw Error(segment, $"\"{name}\" must be an octal file mode from 0 to 777, such as 660, not \"{text}\".");
        }
        return Convert.ToInt32(text, 8);
    }

    /// <summary>A flag written <c>0</c> or <c>1</c> (Twisted's <c>bool(int(x))</c>).</summary>
    public bool Flag(string name, bool fallback)
    {
        if (!_bound.TryGetValue(name, out var segment))
        {
            return fallback;
        }
        return segment.Value switch
        {
            "1" => true,
            "0" => false,
            _ => throw Error(segment, $"\"{name}\" must be 0 or 1, not \"{segment.Value}\"."),
        };
    }

    /// <summary>A duration in seconds (decimals allowed), more than zero.</summary>
    public TimeSpan Seconds(string name, TimeSpan fallback)
    {
        if (!_bound.TryGetValue(name, out var segment))
        {
            return fallback;
        }
        if (!double.TryParse(segment.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw Error(segment, $"\"{name}\" must be a positive number of seconds, not \"{segment.Value}\".");
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// An IP address literal of <paramref name="family"/> (any family when Unspecified); the empty
    /// string means <paramref name="whenEmpty"/>.
    /// </summary>
    public IPAddress? Address(string name, AddressFamily family, IPAddress? whenEmpty, IPAddress? fallback)
    {
        if (!_bound.TryGetValue(name, out var segment))
        {
            return fallback;
        }
        if (segment.Value.Length == 0 && whenEmpty is not null)
        {
            return whenEmpty;
        }
        var kind = family switch
        {
            AddressFamily.InterNetwork => "an IPv4 address",
            AddressFamily.InterNetworkV6 => "an IPv6 address",
            _ => "an IP address",
        };
        if (!IPAddress.TryParse(segment.Value, out var address)
            || (family != AddressFamily.Unspecified && address.AddressFamily != family))
        {
            throw Error(segment, $"\"{name}\" must be {kind}, not \"{segment.Value}\".");
        }
        return address;
    }

    /// <summary>An error about <paramref name="segment"/> listing the accepted keys.</summary>
    public EndpointParseError Error(EndpointSegment segment, string problem) =>
        new(_description.Text, segment.Text, problem, _acceptedKeys);

    /// <summary>An error about the named parameter's segment listing the accepted keys.</summary>
    public EndpointParseError Error(string name, string problem, Exception? inner = null) =>
        new(_description.Text, _bound.TryGetValue(name, out var s) ? s.Text : null, problem, _acceptedKeys, inner);

    /// <summary>
    /// Runs a loader (reading a certificate file, say) for the named parameter, turning its failure
    /// into a parse error about that parameter's segment.
    /// </summary>
    public T Load<T>(string name, string what, Func<T> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw Error(name, $"cannot load {what}: {e.Message}", e);
        }
    }
}
