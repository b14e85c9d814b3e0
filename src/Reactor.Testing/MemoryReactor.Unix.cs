using System.Net.Sockets;
using Reactor.Net;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor.Testing;

// UNIX stream sockets (Twisted's MemoryReactor.listenUNIX / connectUNIX).
public partial class MemoryReactor : IReactorUnix
{
    /// <summary>Every <see cref="ListenUnix"/> call, in order.</summary>
    public List<UnixServerRecord> UnixServers { get; } = [];

    /// <summary>Every <see cref="ConnectUnix"/> call, in order.</summary>
    public List<UnixClientRecord> UnixClients { get; } = [];

    /// <summary>
    /// Records the call and returns a port bound nowhere (no file is made) whose host is the path;
    /// the factory's <c>DoStart</c> runs, as on a real reactor.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or too long for a UNIX socket address.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The backlog is not positive.</exception>
    /// <exception cref="Exception"><see cref="ListenError"/>, when set.</exception>
    public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, UnixFileMode mode = IReactorUnix.DefaultMode, bool wantPid = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(backlog);
        // The real reactor's own check, so a path it would refuse is refused here too.
        UnixDomainSocketEndPoint address = Reactor.Net.Unix.UnixPaths.ToEndPoint(path, nameof(path));
        UnixServers.Add(new UnixServerRecord(path, factory, backlog, mode, wantPid));
        return Listen(address, factory);
    }

    /// <summary>
    /// Records the call, starts the factory and tells it the attempt started, and returns a
    /// connector (destination: the path) that never connects by itself (see <see cref="FakeConnector.Succeed"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty or too long for a UNIX socket address.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive.</exception>
    public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (timeout is { } t) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(t, TimeSpan.Zero, nameof(timeout));
        UnixDomainSocketEndPoint destination = Reactor.Net.Unix.UnixPaths.ToEndPoint(path, nameof(path));
        UnixClients.Add(new UnixClientRecord(path, factory, timeout, checkPid));
        return StartConnector(new FakeConnector(destination, factory));
    }
}

/// <summary>A <see cref="MemoryReactor.ListenUnix"/> call.</summary>
/// <param name="Path">The path given.</param>
/// <param name="Factory">The factory given.</param>
/// <param name="Backlog">The backlog given.</param>
/// <param name="Mode">The file mode given.</param>
/// <param name="WantPid">Whether a lock file was asked for.</param>
public sealed record UnixServerRecord(string Path, IProtocolFactory Factory, int Backlog, UnixFileMode Mode, bool WantPid);

/// <summary>A <see cref="MemoryReactor.ConnectUnix"/> call.</summary>
/// <param name="Path">The path given.</param>
/// <param name="Factory">The factory given.</param>
/// <param name="Timeout">The timeout given, or null.</param>
/// <param name="CheckPid">Whether the server's lock file was to be checked.</param>
public sealed record UnixClientRecord(string Path, ClientFactory Factory, TimeSpan? Timeout, bool CheckPid);
