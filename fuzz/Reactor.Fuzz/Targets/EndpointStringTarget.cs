using System.Text;
using Reactor.Net.Endpoints;
using Reactor.Testing;

namespace Reactor.Fuzz.Targets;

/// <summary>
/// The endpoint-string parser (<see cref="EndpointStrings"/>): any text either builds an endpoint or
/// fails with <see cref="EndpointParseError"/> (or the documented ArgumentException naming the reactor),
/// and quoting an argument and parsing it back gives the argument.
/// </summary>
public sealed class EndpointStringTarget : FuzzTarget
{
    // Keys that name files: the endpoint reads them when it is built. The fuzzer only parses
    // descriptions with these (it must not read /dev/zero or the user's key files).
    private static readonly string[] FileKeys = ["privateKey", "certKey", "extraCertChain", "caCertsDir", "trustRoots", "certificate"];

    /// <inheritdoc/>
    public override string Name => "endpoint";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        CheckQuoteRoundTrip(text);

        EndpointDescription description;
        try
        {
            description = EndpointDescription.Parse(text);
        }
        catch (EndpointParseError)
        {
            return;
        }
        if (description.Segments.Any(s => s.Key is not null && FileKeys.Contains(s.Key, StringComparer.OrdinalIgnoreCase))) return;
        if (description.Prefix is "ssl" or "tls") return; // their defaults read server.pem and the like

        var reactor = new MemoryReactor();
        Build(() => EndpointStrings.ServerFromString(reactor, text));
        Build(() => EndpointStrings.ClientFromString(reactor, text));
    }

    private static void Build(Func<object> build)
    {
        try
        {
            build();
        }
        catch (EndpointParseError)
        {
        }
        catch (ArgumentException e) when (e.ParamName == "reactor" && e.GetType() == typeof(ArgumentException))
        {
            // The type needs a reactor interface MemoryReactor lacks (documented).
        }
    }

    private static void CheckQuoteRoundTrip(string text)
    {
        var quoted = EndpointDescription.Quote(text);
        EndpointDescription parsed;
        try
        {
            parsed = EndpointDescription.Parse("tcp:" + quoted);
        }
        catch (EndpointParseError e)
        {
            throw new FuzzFinding($"endpoint: a quoted argument did not parse back ({e.Message})");
        }
        var back = parsed.Segments.Count == 1 ? parsed.Segments[0] : null;
        if (back is null || back.Key is not null || back.Value != text)
        {
            throw new FuzzFinding($"endpoint: quoting then parsing changed the argument ({parsed.Segments.Count} segments)");
        }
    }
}
