using Reactor.Net;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorUnix
{
    /// <inheritdoc/>
    public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = IReactorTcp.DefaultBacklog,
        UnixFileMode mode = IReactorUnix.DefaultMode, bool wantPid = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        ThrowIfDisposed();
        return UnixPort.Listen(this, path, factory, backlog, mode, wantPid);
    }

    /// <inheritdoc/>
    public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var limit = timeout ?? DefaultConnectTimeout;
        if (limit <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive.");
        ThrowIfDisposed();
        var connector = new UnixConnector(this, path, factory, limit, checkPid);
        connector.Connect();
        return connector;
    }
}
