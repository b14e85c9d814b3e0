using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Connecting to a UNIX stream socket (Twisted's <c>UNIXClientEndpoint</c>; string form
/// <c>unix:path=PATH[:timeout=S][:lockfile=0|1]</c> or <c>unix:PATH</c>).
/// </summary>
public sealed class UnixClientEndpoint : IStreamClientEndpoint
{
    private readonly IReactorUnix _reactor;

    /// <summary>Creates the endpoint; nothing happens until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor that connects.</param>
    /// <param name="path">The socket path.</param>
    /// <param name="timeout">How long the attempt may take; null for 30 s.</param>
    /// <param name="checkPid">Refuse to connect unless a live server holds <c>path + ".lock"</c>.</param>
    /// <exception cref="ArgumentException">The path is empty or the timeout is not positive.</exception>
    public UnixClientEndpoint(IReactorUnix reactor, string path, TimeSpan? timeout = null, bool checkPid = false)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Timeout = TcpEndpointChecks.Timeout(timeout ?? Tcp4ClientEndpoint.DefaultTimeout);
        _reactor = reactor;
        Path = path;
        CheckPid = checkPid;
    }

    /// <summary>The socket path.</summary>
    public string Path { get; }

    /// <summary>How long the attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether a live server must hold the path's lock file.</summary>
    public bool CheckPid { get; }

    /// <inheritdoc/>
    public Deferred<IProtocol> Connect(IProtocolFactory factory) =>
        ConnectingFactory.Start(factory, this, static (e, f) => e._reactor.ConnectUnix(e.Path, f, e.Timeout, e.CheckPid));
}
