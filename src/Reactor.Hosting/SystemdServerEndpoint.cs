using System.Net.Sockets;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;

namespace Reactor.Hosting;

/// <summary>
/// A server endpoint over a listening socket systemd passed in (Twisted's <c>systemd:</c>
/// endpoint): <c>Listen</c> adopts it with <see cref="IReactorSocket.AdoptStreamPort"/>.
/// </summary>
public sealed class SystemdServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorSocket _reactor;
    private readonly int _descriptor;
    private readonly AddressFamily _family;

    /// <summary>An endpoint over <paramref name="descriptor"/>, a listening socket of <paramref name="family"/>.</summary>
    public SystemdServerEndpoint(IReactorSocket reactor, int descriptor, AddressFamily family)
    {
        _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));
        _descriptor = descriptor;
        _family = family;
    }

    /// <summary>
    /// Parses <c>systemd:domain=INET|INET6|UNIX:index=N</c> or <c>systemd:domain=…:name=NAME</c>
    /// against <paramref name="sockets"/>.
    /// </summary>
    /// <exception cref="EndpointParseError">The description is malformed or names a socket that was not passed.</exception>
    public static SystemdServerEndpoint Parse(IReactorSocket reactor, string description, SystemdSockets sockets)
    {
        var parsed = EndpointDescription.Parse(description);
        string[] accepted = ["domain", "index", "name"];
        if (parsed.Prefix != "systemd") throw new EndpointParseError(description, null, "not a systemd: endpoint.", accepted);
        foreach (var key in parsed.Keywords.Keys)
        {
            if (Array.IndexOf(accepted, key) < 0) throw new EndpointParseError(description, key, $"unknown key \"{key}\".", accepted);
        }
        if (parsed.Arguments.Count > 0) throw new EndpointParseError(description, parsed.Arguments[0], "systemd: takes only keys.", accepted);
        var family = parsed.Keywords.TryGetValue("domain", out var domain) ? domain.ToUpperInvariant() switch
        {
            "INET" => AddressFamily.InterNetwork,
            "INET6" => AddressFamily.InterNetworkV6,
            "UNIX" => AddressFamily.Unix,
            _ => throw new EndpointParseError(description, "domain", $"domain must be INET, INET6 or UNIX, not \"{domain}\".", accepted),
        } : throw new EndpointParseError(description, null, "domain= is required (INET, INET6 or UNIX).", accepted);
        parsed.Keywords.TryGetValue("index", out var index);
        parsed.Keywords.TryGetValue("name", out var name);
        if ((index is null) == (name is null)) throw new EndpointParseError(description, null, "give exactly one of index= and name=.", accepted);
        try
        {
            var fd = name is not null
                ? sockets.ByName(name)
                : sockets.ByIndex(int.TryParse(index, out var i) ? i : throw new EndpointParseError(description, "index", $"index must be a number, not \"{index}\".", accepted));
            return new SystemdServerEndpoint(reactor, fd, family);
        }
        catch (Exception error) when (error is ArgumentOutOfRangeException or KeyNotFoundException)
        {
            throw new EndpointParseError(description, name is null ? "index" : "name", error.Message, accepted, error);
        }
    }

    /// <inheritdoc/>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Deferred.MaybeDeferred(() => _reactor.AdoptStreamPort(_descriptor, _family, factory));
    }

    /// <inheritdoc/>
    public override string ToString() => $"systemd socket {_descriptor} ({_family})";
}
