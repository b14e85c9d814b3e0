namespace Reactor.Net.Endpoints;

public static partial class EndpointStrings
{
    // One parser per endpoint type, by lower-case prefix. The order is the order error messages list them in.
    private static readonly Dictionary<string, Func<object, EndpointDescription, IStreamServerEndpoint>> ServerParsers = new()
    {
        ["tcp"] = ParseTcpServer,
        ["tcp6"] = ParseTcp6Server,
        ["unix"] = ParseUnixServer,
        ["ssl"] = ParseSslServer,
    };

    private static readonly Dictionary<string, Func<object, EndpointDescription, IStreamClientEndpoint>> ClientParsers = new()
    {
        ["tcp"] = ParseTcpClient,
        ["unix"] = ParseUnixClient,
        ["ssl"] = ParseSslClient,
        ["tls"] = ParseTlsClient,
    };
}
