using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net.Unix;

/// <summary>UNIX stream sockets (Twisted's <c>IReactorUNIX</c>).</summary>
public interface IReactorUnix
{
    /// <summary>The permissions of a socket file when none are given: 0666, as Twisted.</summary>
    const UnixFileMode DefaultMode = IUnixDatagramPort.DefaultMode;

    /// <summary>
    /// Listens on the UNIX socket <paramref name="path"/>; each connection gets a protocol from
    /// <paramref name="factory"/>, over an <see cref="IUnixTransport"/>. A path starting with '\0'
    /// or '@' is in the Linux abstract namespace (no file); any other is a socket file, created
    /// with <paramref name="mode"/> and removed when the port stops.
    /// </summary>
    /// <param name="path">The socket path.</param>
    /// <param name="factory">Builds a protocol per connection; a null protocol refuses the connection.</param>
    /// <param name="backlog">The kernel's queue of connections not yet accepted.</param>
    /// <param name="mode">The socket file's permissions.</param>
    /// <param name="wantPid">
    /// Take the lock file <c>path + ".lock"</c> (holding this process's pid) first: while a live
    /// server holds it, listening fails with <see cref="CannotListenError"/>; once its holder is
    /// gone, a socket file left at <paramref name="path"/> is stale and is removed.
    /// </param>
    /// <exception cref="CannotListenError">The lock is held, or the path could not be bound (it exists, or its directory does not).</exception>
    /// <exception cref="ArgumentException">The path is empty or longer than sun_path allows, or the backlog is negative.</exception>
    IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog, UnixFileMode mode = DefaultMode, bool wantPid = false);

    /// <summary>
    /// Connects to the UNIX socket <paramref name="path"/>. The factory is told that the attempt
    /// started, then builds a protocol (over an <see cref="IUnixTransport"/>) or hears why it
    /// failed: <see cref="ConnectionRefusedError"/>, <see cref="TimeoutError"/>, <see cref="NoLiveServerError"/>
    /// (with <paramref name="checkPid"/>), <see cref="UserError"/> (stopped), or another <see cref="ConnectError"/>.
    /// </summary>
    /// <param name="path">The socket path (an '@' or '\0' prefix for the abstract namespace).</param>
    /// <param name="factory">Builds the protocol and hears about the attempt.</param>
    /// <param name="timeout">How long the attempt may take; null for 30 s.</param>
    /// <param name="checkPid">Refuse to connect unless a live server holds <c>path + ".lock"</c>.</param>
    /// <exception cref="ArgumentException">The path is empty or too long, or the timeout is not positive.</exception>
    IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false);
}
