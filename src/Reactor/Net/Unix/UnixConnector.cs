using System.Net.Sockets;
using System.Net;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Unix;

/// <summary>
/// An outgoing UNIX stream connection (Twisted's <c>unix.Connector</c>): the shared connector life
/// cycle (<see cref="StreamConnector"/>) with UNIX attempts. A UNIX connect either finishes at once
/// or is refused; a full backlog (EAGAIN) is retried every few milliseconds until the timeout.
/// </summary>
internal sealed class UnixConnector : StreamConnector
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(10);
    private readonly string _path;
    private readonly UnixDomainSocketEndPoint _destination;
    private readonly bool _checkPid;
    private IDelayedCall? _pending;
    private int _fd = -1;
    private TimeSpan _deadline;

    public UnixConnector(ITransportHost host, string path, ClientFactory factory, TimeSpan timeout, bool checkPid)
        : base(host, factory, timeout)
    {
        _path = path;
        _destination = UnixPaths.ToEndPoint(path, nameof(path));
        _checkPid = checkPid;
    }

    /// <inheritdoc/>
    public override EndPoint GetDestination() => _destination;

    /// <inheritdoc/>
    protected override void PrepareAttempt() => _deadline = Host.Now + Timeout;

    /// <inheritdoc/>
    protected override void BeginAttempt() => _pending = Host.CallLater(TimeSpan.Zero, Attempt);

    /// <inheritdoc/>
    protected override void AbandonAttempt()
    {
        if (_pending is { Active: true }) _pending.Cancel();
        _pending = null;
        if (_fd >= 0)
        {
            Host.Syscalls.Close(_fd, out _);
            _fd = -1;
        }
    }

    /// <inheritdoc/>
    protected override StreamTransport CreateConnection(int fd) => new UnixConnection(Host, fd, UnnamedUnixEndPoint.Instance, _destination, this);

    private void Attempt()
    {
        _pending = null;
        if (State != ConnectorState.Connecting) return;
        if (_checkPid && !UnixSocketLock.IsHeld(Host.Syscalls, _path + ".lock"))
        {
            Fail(new NoLiveServerError(UnixPaths.Printable(_path)));
            return;
        }
        if (_fd < 0)
        {
            try
            {
                _fd = SocketOptions.CreateSocket(Host.Syscalls, NativeConstants.AF_UNIX);
            }
            catch (SocketException ex)
            {
                Fail(new ConnectError($"Could not create a UNIX socket: {ex.Message}", ex));
                return;
            }
        }

        var errno = UnixSocketFiles.Connect(Host.Syscalls, _fd, _destination);
        if (errno.IsSuccess || errno == Errno.EISCONN)
        {
            var fd = _fd;
            _fd = -1;
            AttemptSucceeded(fd, _destination);
            return;
        }
        // A full backlog (EAGAIN on Linux) or a connect under way (EINPROGRESS/EALREADY on the BSDs): try again shortly.
        if (errno.IsWouldBlock || errno == Errno.EINPROGRESS || errno == Errno.EALREADY)
        {
            if (Host.Now >= _deadline)
            {
                Fail(new TimeoutError($"Connecting to {UnixPaths.Printable(_path)} timed out after {Timeout.TotalSeconds} s."));
                return;
            }
            _pending = Host.CallLater(RetryInterval, Attempt);
            return;
        }
        Fail(UnixSocketFiles.ConnectFailure(errno, _path));
    }

    private void Fail(Exception reason)
    {
        AbandonAttempt();
        AttemptFailed(reason);
    }

    /// <inheritdoc/>
    public override string ToString() => $"UnixConnector({UnixPaths.Printable(_path)}, {State})";
}
