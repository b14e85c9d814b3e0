using Reactor.Net.Unix;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Endpoints from description strings, so a program can be pointed anywhere without code changes
/// (Twisted's <c>serverFromString</c> and <c>clientFromString</c>).
/// </summary>
/// <remarks>
/// Grammar (<see cref="EndpointDescription"/>): <c>type:arg:key=value:...</c>; <c>\</c> escapes the
/// next character (<see cref="EndpointDescription.Quote"/> does it for you). Every mistake raises an
/// <see cref="EndpointParseError"/> naming the segment at fault and the keys the type accepts.
/// New endpoint types plug in with <see cref="RegisterServerParser"/> / <see cref="RegisterClientParser"/>
/// (Twisted's string-parser plugins); the registry (<see cref="ServerParsers"/>, <see cref="ClientParsers"/>) is public.
/// The reactor is typed: <see cref="IReactorTcp"/>, <see cref="IReactorUnix"/>, or a type with both;
/// an endpoint type that needs another interface (TLS: <see cref="Tls.IReactorSsl"/>) checks it with <see cref="Require{TReactor}"/>.
/// </remarks>
public static partial class EndpointStrings
{
    /// <summary>
    /// Builds a server endpoint from <paramref name="description"/>. Forms:
    /// <list type="bullet">
    /// <item><c>tcp:PORT[:interface=IPV4][:backlog=N]</c> — <see cref="Tcp4ServerEndpoint"/></item>
    /// <item><c>tcp6:PORT[:interface=IPV6][:backlog=N]</c> — <see cref="Tcp6ServerEndpoint"/> (escape the colons: <c>interface=\:\:1</c>)</item>
    /// <item><c>unix:PATH[:mode=OCTAL][:backlog=N][:lockfile=0|1]</c> — <see cref="UnixServerEndpoint"/> (mode 666 and lockfile 1 by default, as Twisted)</item>
    /// <item><c>ssl:PORT[:privateKey=KEY.pem][:certKey=CERT.pem][:extraCertChain=CHAIN.pem][:interface=IP][:backlog=N]</c> — <see cref="Ssl4ServerEndpoint"/>
    /// (privateKey defaults to server.pem, certKey to the privateKey file; the files are read now)</item>
    /// </list>
    /// <c>PORT</c> may also be written <c>port=PORT</c>, <c>PATH</c> <c>address=PATH</c>; backlog defaults to <see cref="IReactorTcp.DefaultBacklog"/>
    /// (Twisted: 50).
    /// </summary>
    /// <param name="reactor">The reactor the endpoint uses; it must implement the interface the type needs (<see cref="IReactorTcp"/> for tcp).</param>
    /// <param name="description">The endpoint description.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The reactor lacks the interface the endpoint type needs.</exception>
    /// <exception cref="EndpointParseError">The description is malformed, of an unknown type, or has a bad or unknown key.</exception>
    public static IStreamServerEndpoint ServerFromString(IReactorTcp reactor, string description) => ParseServer(reactor, description);

    /// <summary>As <see cref="ServerFromString(IReactorTcp, string)"/>, for a reactor with UNIX sockets only.</summary>
    public static IStreamServerEndpoint ServerFromString(IReactorUnix reactor, string description) => ParseServer(reactor, description);

    /// <summary>As <see cref="ServerFromString(IReactorTcp, string)"/>, for a reactor with both TCP and UNIX sockets (every real reactor).</summary>
    public static IStreamServerEndpoint ServerFromString<TReactor>(TReactor reactor, string description)
        where TReactor : class, IReactorTcp, IReactorUnix => ParseServer(reactor, description);

    private static IStreamServerEndpoint ParseServer(object? reactor, string description)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        var parsed = EndpointDescription.Parse(description);
        var parser = FindServer(parsed.Prefix) ?? throw new EndpointParseError(description, parsed.PrefixSegment.Text,
            $"unknown server endpoint type \"{parsed.PrefixSegment.Value}\"; known types: {string.Join(", ", ServerParsers.Select(p => p.Prefix))}.");
        return parser.ParseStreamServer(reactor, parsed);
    }

    /// <summary>
    /// Builds a client endpoint from <paramref name="description"/>. Forms:
    /// <list type="bullet">
    /// <item><c>tcp:host=HOST:port=PORT[:timeout=SECONDS][:bindAddress=IP]</c>, or <c>tcp:HOST:PORT</c> — <see cref="Tcp4ClientEndpoint"/></item>
    /// <item><c>unix:path=PATH[:timeout=SECONDS][:lockfile=0|1]</c>, or <c>unix:PATH</c> — <see cref="UnixClientEndpoint"/> (lockfile 0 by default)</item>
    /// <item><c>ssl:host=HOST:port=PORT[:hostname=NAME][:caCertsDir=DIR][:certKey=CERT.pem][:privateKey=KEY.pem][:timeout=S][:bindAddress=IP]</c> — <see cref="Ssl4ClientEndpoint"/></item>
    /// <item><c>tls:HOST:PORT[:trustRoots=DIR][:certificate=CERT.pem][:privateKey=KEY.pem][:timeout=S][:bindAddress=IP][:endpoint=DESCRIPTION]</c> —
    /// <see cref="TlsClientEndpoint"/> over a <see cref="HostnameEndpoint"/> (or over the escaped description given by endpoint=)</item>
    /// </list>
    /// </summary>
    /// <param name="reactor">The reactor the endpoint uses; it must implement the interface the type needs.</param>
    /// <param name="description">The endpoint description.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The reactor lacks the interface the endpoint type needs.</exception>
    /// <exception cref="EndpointParseError">The description is malformed, of an unknown type, or has a bad or unknown key.</exception>
    public static IStreamClientEndpoint ClientFromString(IReactorTcp reactor, string description) => ParseClient(reactor, description);

    /// <summary>As <see cref="ClientFromString(IReactorTcp, string)"/>, for a reactor with UNIX sockets only.</summary>
    public static IStreamClientEndpoint ClientFromString(IReactorUnix reactor, string description) => ParseClient(reactor, description);

    /// <summary>As <see cref="ClientFromString(IReactorTcp, string)"/>, for a reactor with both TCP and UNIX sockets (every real reactor).</summary>
    public static IStreamClientEndpoint ClientFromString<TReactor>(TReactor reactor, string description)
        where TReactor : class, IReactorTcp, IReactorUnix => ParseClient(reactor, description);

    private static IStreamClientEndpoint ParseClient(object? reactor, string description)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        var parsed = EndpointDescription.Parse(description);
        var parser = FindClient(parsed.Prefix) ?? throw new EndpointParseError(description, parsed.PrefixSegment.Text,
            $"unknown client endpoint type \"{parsed.PrefixSegment.Value}\"; known types: {string.Join(", ", ClientParsers.Select(p => p.Prefix))}.");
        return parser.ParseStreamClient(reactor, parsed);
    }

    /// <summary>
    /// The reactor as <typeparamref name="TReactor"/>, or an <see cref="ArgumentException"/> saying which
    /// endpoint type needed which interface — for parsers (built-in and registered) that need more than
    /// the interface the caller's overload guaranteed.
    /// </summary>
    public static TReactor Require<TReactor>(object reactor, EndpointDescription description) where TReactor : class =>
        reactor as TReactor ?? throw new ArgumentException(
            $"A \"{description.Prefix}:\" endpoint needs a reactor implementing {typeof(TReactor).Name}; {reactor.GetType().Name} does not.",
            nameof(reactor));
}
