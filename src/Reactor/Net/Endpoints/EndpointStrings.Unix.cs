using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Unix;

namespace Reactor.Net.Endpoints;

public static partial class EndpointStrings
{
    private static readonly string[] UnixServerPositional = ["address"];
    private static readonly string[] UnixServerKeywords = ["mode", "backlog", "lockfile"];
    private static readonly string[] UnixClientPositional = ["path"];
    private static readonly string[] UnixClientKeywords = ["timeout", "lockfile"];

    // Twisted's _parseUNIX: mode 666, lockfile on by default for servers (wantPID=True).
    private static UnixServerEndpoint ParseUnixServer(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, UnixServerPositional, UnixServerKeywords);
        return new UnixServerEndpoint(
            Require<IReactorUnix>(reactor, description),
            args.NonEmpty("address"),
            args.Integer("backlog", IReactorTcp.DefaultBacklog, 1, int.MaxValue, "a backlog"),
            (UnixFileMode)args.OctalMode("mode", (int)IReactorUnix.DefaultMode),
            args.Flag("lockfile", true));
    }

    // Twisted's _parseClientUNIX: lockfile off by default for clients (checkPID=False).
    private static UnixClientEndpoint ParseUnixClient(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, UnixClientPositional, UnixClientKeywords);
        return new UnixClientEndpoint(
            Require<IReactorUnix>(reactor, description),
            args.NonEmpty("path"),
            args.Seconds("timeout", Tcp4ClientEndpoint.DefaultTimeout),
            args.Flag("lockfile", false));
    }
}
