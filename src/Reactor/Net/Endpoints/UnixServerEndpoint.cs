using Reactor.Defer;
using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor.Net.Endpoints;

/// <summary>
/// Listening on a UNIX stream socket (Twisted's <c>UNIXServerEndpoint</c>; string form
/// <c>unix:PATH[:mode=660][:backlog=N][:lockfile=0|1]</c>).
/// </summary>
public sealed class UnixServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorUnix _reactor;

    /// <summary>Creates the endpoint; nothing is bound until <see cref="Listen"/>.</summary>
    /// <param name="reactor">The reactor that listens.</param>
    /// <param name="path">The socket path ('@' or '\0' first for Linux's abstract namespace).</param>
    /// <param name="backlog">The kernel's accept queue length.</param>
    /// <param name="mode">The socket file's permissions.</param>
    /// <param name="wantPid">Take the lock file <c>path + ".lock"</c> first (see <see cref="IReactorUnix.ListenUnix"/>).</param>
    /// <exception cref="ArgumentException">The path is empty or the backlog is not positive.</exception>
    public UnixServerEndpoint(IReactorUnix reactor, string path, int backlog = IReactorTcp.DefaultBacklog,
        UnixFileMode mode = IReactorUnix.DefaultMode, bool wantPid = false)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        _reactor = reactor;
        Path = path;
        Backlog = backlog;
        Mode = mode;
        WantPid = wantPid;
    }

    /// <summary>The socket path.</summary>
    public string Path { get; }

    /// <summary>The accept queue length.</summary>
    public int Backlog { get; }

    /// <summary>The socket file's permissions.</summary>
    public UnixFileMode Mode { get; }

    /// <summary>Whether the lock file is taken (a second server on the path is refused; a stale socket file is removed).</summary>
    public bool WantPid { get; }

    /// <inheritdoc/>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory) =>
        TcpEndpointChecks.Execute(() => _reactor.ListenUnix(Path, factory, Backlog, Mode, WantPid));
}
