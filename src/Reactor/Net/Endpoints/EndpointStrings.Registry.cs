using Reactor.Net.Unix;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Parses server endpoint descriptions of one type (Twisted's <c>IStreamServerEndpointStringParser</c>
/// plugin): register it with <see cref="EndpointStrings.RegisterServerParser"/> and
/// <see cref="EndpointStrings.ServerFromString(IReactorTcp, string)"/> builds endpoints of type <see cref="Prefix"/>.
/// </summary>
public interface IStreamServerEndpointStringParser
{
    /// <summary>The endpoint type this parser handles: the description's text before the first colon (case-insensitive).</summary>
    string Prefix { get; }

    /// <summary>Builds the endpoint.</summary>
    /// <param name="reactor">
    /// The reactor given to <c>ServerFromString</c> (an <see cref="IReactorTcp"/>, an <see cref="IReactorUnix"/>,
    /// or both); use <see cref="EndpointStrings.Require{TReactor}"/> for the interface you need.
    /// </param>
    /// <param name="description">The parsed description; <see cref="EndpointDescription.Arguments"/> and
    /// <see cref="EndpointDescription.Keywords"/> hold what follows the prefix.</param>
    /// <exception cref="EndpointParseError">Throw it for a bad argument, naming the segment.</exception>
    IStreamServerEndpoint ParseStreamServer(object reactor, EndpointDescription description);
}

/// <summary>
/// Parses client endpoint descriptions of one type (Twisted's <c>IStreamClientEndpointStringParserWithReactor</c>
/// plugin); register it with <see cref="EndpointStrings.RegisterClientParser"/>.
/// </summary>
public interface IStreamClientEndpointStringParser
{
    /// <summary>The endpoint type this parser handles (case-insensitive).</summary>
    string Prefix { get; }

    /// <summary>Builds the endpoint; see <see cref="IStreamServerEndpointStringParser.ParseStreamServer"/>.</summary>
    IStreamClientEndpoint ParseStreamClient(object reactor, EndpointDescription description);
}

public static partial class EndpointStrings
{
    private static readonly Lock RegistryGate = new();

    // One parser per endpoint type, by lower-case prefix. The order is the order error messages list them in.
    private static readonly List<IStreamServerEndpointStringParser> ServerParserList =
    [
        new BuiltInServer("tcp", ParseTcpServer),
        new BuiltInServer("tcp6", ParseTcp6Server),
        new BuiltInServer("unix", ParseUnixServer),
        new BuiltInServer("ssl", ParseSslServer),
    ];

    private static readonly List<IStreamClientEndpointStringParser> ClientParserList =
    [
        new BuiltInClient("tcp", ParseTcpClient),
        new BuiltInClient("unix", ParseUnixClient),
        new BuiltInClient("ssl", ParseSslClient),
        new BuiltInClient("tls", ParseTlsClient),
    ];

    /// <summary>Every server parser, built-in first, then registered ones in registration order.</summary>
    public static IReadOnlyList<IStreamServerEndpointStringParser> ServerParsers
    {
        get { lock (RegistryGate) return ServerParserList.ToArray(); }
    }

    /// <summary>Every client parser, built-in first, then registered ones in registration order.</summary>
    public static IReadOnlyList<IStreamClientEndpointStringParser> ClientParsers
    {
        get { lock (RegistryGate) return ClientParserList.ToArray(); }
    }

    /// <summary>Adds a parser for a new server endpoint type (Twisted's string-parser plugins).</summary>
    /// <exception cref="ArgumentException">The prefix is empty, contains a colon, or is already taken (built-in types cannot be replaced).</exception>
    public static void RegisterServerParser(IStreamServerEndpointStringParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var prefix = CheckPrefix(parser.Prefix, nameof(parser));
        lock (RegistryGate)
        {
            if (ServerParserList.Any(p => p.Prefix.Equals(prefix, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"A server endpoint parser for \"{prefix}\" is already registered.", nameof(parser));
            ServerParserList.Add(parser);
        }
    }

    /// <summary>Adds a parser for a new client endpoint type.</summary>
    /// <exception cref="ArgumentException">The prefix is empty, contains a colon, or is already taken.</exception>
    public static void RegisterClientParser(IStreamClientEndpointStringParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var prefix = CheckPrefix(parser.Prefix, nameof(parser));
        lock (RegistryGate)
        {
            if (ClientParserList.Any(p => p.Prefix.Equals(prefix, StringComparison.OrdinalIgnoreCase)))
                throw new ArgumentException($"A client endpoint parser for \"{prefix}\" is already registered.", nameof(parser));
            ClientParserList.Add(parser);
        }
    }

    /// <summary>Removes a registered server parser; built-in ones stay.</summary>
    /// <returns>Whether it was registered.</returns>
    public static bool UnregisterServerParser(IStreamServerEndpointStringParser parser)
    {
        if (parser is BuiltInServer) return false;
        lock (RegistryGate) return ServerParserList.Remove(parser);
    }

    /// <summary>Removes a registered client parser; built-in ones stay.</summary>
    /// <returns>Whether it was registered.</returns>
    public static bool UnregisterClientParser(IStreamClientEndpointStringParser parser)
    {
        if (parser is BuiltInClient) return false;
        lock (RegistryGate) return ClientParserList.Remove(parser);
    }

    private static string CheckPrefix(string? prefix, string paramName)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Contains(':') || prefix.Contains('\\') || prefix.Contains('='))
            throw new ArgumentException($"An endpoint prefix must be non-empty, without ':', '=' or '\\' (got \"{prefix}\").", paramName);
        return prefix;
    }

    private static IStreamServerEndpointStringParser? FindServer(string prefix)
    {
        lock (RegistryGate) return ServerParserList.FirstOrDefault(p => p.Prefix.Equals(prefix, StringComparison.OrdinalIgnoreCase));
    }

    private static IStreamClientEndpointStringParser? FindClient(string prefix)
    {
        lock (RegistryGate) return ClientParserList.FirstOrDefault(p => p.Prefix.Equals(prefix, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class BuiltInServer(string prefix, Func<object, EndpointDescription, IStreamServerEndpoint> parse) : IStreamServerEndpointStringParser
    {
        public string Prefix => prefix;

        public IStreamServerEndpoint ParseStreamServer(object reactor, EndpointDescription description) => parse(reactor, description);
    }

    private sealed class BuiltInClient(string prefix, Func<object, EndpointDescription, IStreamClientEndpoint> parse) : IStreamClientEndpointStringParser
    {
        public string Prefix => prefix;

        public IStreamClientEndpoint ParseStreamClient(object reactor, EndpointDescription description) => parse(reactor, description);
    }
}
