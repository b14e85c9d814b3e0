using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Core.Internal;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Net.Stream;

/// <summary>
/// The one listening-socket core every stream family shares (Twisted's <c>tcp.Port</c> base, libuv's
/// <c>uv__server_io</c>): accepts in bursts when readable, builds a protocol per connection, backs off when
/// the process runs out of descriptors or memory, and stops and closes once. A family (TCP, UNIX) says
/// only how to read a peer address, how to start a connection, and what else to release on close.
/// Like Twisted's port (a <c>FileDescriptor</c>, hence a push producer) it can be paused: while paused,
/// new clients wait in the kernel's backlog.
/// </summary>
/// <remarks>
/// On io_uring the kernel accepts (one multishot ACCEPT per port, <see cref="IAcceptCompletionDriver"/>)
/// and a readable report means accepted connections are held: the burst takes them instead of calling
/// accept(2), and reads each peer's address with getpeername(2), since a multishot request has no
/// per-connection address buffer. Everything else (bursts, back-off, pause, close) is the same code.
/// </remarks>
internal abstract unsafe partial class AcceptingPort : IListeningPort, IReadDescriptor, IPushProducer, ITransportStarter, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    /// <summary>At most this many accepts per readiness report, so one busy port cannot starve the loop.</summary>
    internal const int MaxAcceptsPerRead = 128;

    private Deferred<object?>? _stopped;
    private IAcceptCompletionDriver? _acceptDriver;
    private bool _acceptedByCompletion; // the kernel has accepted for this port at least once
    private IDelayedCall? _acceptRetry;
    private bool _paused;
    private int _fd;

    // The current back-off episode: from the first EMFILE-like failure until accept(2) works again.
    // At the limit the port retries every AcceptRetryDelay; logging each retry would write about
    // ten lines a second for as long as the limit lasts, so an episode logs its first pause and,
    // when it ends, one summary with the count.
    private int _episodePauses;
    private TimeSpan _episodeStarted;
    private Errno _episodeError;

    protected AcceptingPort(ITransportHost host, ISyscalls syscalls, IProtocolFactory factory, int fd)
    {
        Host = host;
        AcceptRetryDelay = host.Limits.AcceptRetryDelay;
        Syscalls = syscalls;
        Factory = factory;
        _fd = fd;
        // The driver accepts in the kernel, not through Syscalls: a port given its own syscall layer
        // (tests that fail accept(2) on purpose) keeps accept(2), so that layer sees every accept.
        if (ReferenceEquals(syscalls, host.Syscalls)) _acceptDriver = (host as IStreamCompletionSource)?.AcceptDriver;
    }

    /// <summary>The reactor this port runs on.</summary>
    protected ITransportHost Host { get; }

    /// <summary>The syscalls accept(2) and close(2) go through (tests inject failures here).</summary>
    protected ISyscalls Syscalls { get; }

    /// <summary>The factory that builds a protocol per accepted connection.</summary>
    protected IProtocolFactory Factory { get; }

    /// <summary>How many bytes the kernel may write for a peer address (sockaddr_in6, sockaddr_un...).</summary>
    protected abstract int PeerAddressCapacity { get; }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>How long this port pauses accepting after EMFILE / ENFILE / ENOBUFS / ENOMEM.</summary>
    internal TimeSpan AcceptRetryDelay { get; set; }

    /// <summary>How many times accepting has been paused for lack of descriptors or memory.</summary>
    internal int AcceptPauses { get; private set; }

    /// <summary>How many accepted connections could not be started (the reactor refused their descriptor) and were closed.</summary>
    internal int AcceptedConnectionsRefused { get; private set; }

    /// <summary>True while accepting is paused after resource exhaustion.</summary>
    internal bool AcceptingPaused => _acceptRetry is { Active: true };

    /// <inheritdoc/>
    public abstract EndPoint GetHost();

    /// <summary>Starts the factory and starts accepting (called once, by the family's Listen/Adopt).</summary>
    protected void StartAccepting()
    {
        Factory.DoStart();
        if (_acceptDriver is { Available: true }) _acceptDriver.Claim(_fd);
        else _acceptDriver = null;
        Host.AddReader(this);
    }

    /// <summary>Accepts every pending connection, up to <see cref="MaxAcceptsPerRead"/>.</summary>
    public Exception? DoRead()
    {
        var capacity = PeerAddressCapacity;
        var address = stackalloc byte[capacity];
        // A protocol started in this burst may pause the port (a per-process connection limit): stop at once.
        for (var i = 0; i < MaxAcceptsPerRead && _fd >= 0 && !_paused; i++)
        {
            int length = capacity;
            var fd = AcceptOne(address, &length, out var errno);
            // accept(2) takes a descriptor number before it looks at the backlog: success or an
            // empty backlog both mean the process has descriptors again.
            if (_episodePauses > 0 && (fd >= 0 || errno.IsWouldBlock)) EndBackOffEpisode();
            if (fd < 0)
            {
                if (errno.IsWouldBlock) return null;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EINVAL && _acceptDriver is not null && !_acceptedByCompletion)
                {
                    // A kernel without multishot accept (before 5.19) rejects the request itself.
                    AcceptWithSyscalls("the kernel answered EINVAL to a multishot ACCEPT");
                    continue;
                }
                if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM)
                {
                    PauseAccepting(errno);
                    return null;
                }
                // ECONNABORTED (the client gave up in the backlog), EPERM (a firewall refused it on
                // Linux): that one client is gone; the rest of the backlog may be fine.
                if (errno == Errno.ECONNABORTED || errno == Errno.EPERM) continue;
                NetLog.AcceptFailed(Host.Logger, this, errno);
                return null;
            }
            var peer = DescribePeer(address, length);
            if (!TryHandOff(fd, peer)) StartConnection(fd, peer);
        }
        return null;
    }

    /// <summary>
    /// One accepted connection (its descriptor, the peer's address at <paramref name="address"/>), or -1
    /// with the reason; EAGAIN when nothing is pending.
    /// </summary>
    private int AcceptOne(byte* address, int* length, out Errno errno)
    {
        if (_acceptDriver is null) return Syscalls.Accept(_fd, address, length, out errno);
        if (!_acceptDriver.TakeAccepted(_fd, out int fd, out errno))
        {
            errno = Errno.EAGAIN;
            return -1;
        }
        if (fd < 0) return -1;
        _acceptedByCompletion = true;
        if (Syscalls.GetPeerName(fd, address, length, out var peerError) < 0)
        {
            // ENOTCONN: the client reset the connection before we asked. accept(2) would still have
            // returned it (Linux asks the socket differently), only for its first read to fail;
            // like ECONNABORTED, that one client is gone.
            Syscalls.Close(fd, out _);
            errno = peerError == Errno.ENOTCONN ? Errno.ECONNABORTED : peerError;
            return -1;
        }
        return fd;
    }

    /// <summary>
    /// Moves this port (and, through the driver, every later one) from completion accepts to accept(2)
    /// on readiness: the registration is renewed so the selector polls the socket itself.
    /// </summary>
    private void AcceptWithSyscalls(string reason)
    {
        var driver = _acceptDriver!;
        _acceptDriver = null;
        driver.Refuse(reason);
        bool registered = !_paused && !AcceptingPaused;
        if (registered) Host.RemoveReader(this);
        driver.Release(_fd);
        if (registered) Host.AddReader(this);
    }

    /// <summary>The peer address accept(2) wrote (<paramref name="length"/> bytes at <paramref name="address"/>).</summary>
    protected abstract EndPoint DescribePeer(byte* address, int length);

    /// <summary>Wraps the accepted <paramref name="fd"/> in the family's connection and starts <paramref name="protocol"/> on it.</summary>
    protected abstract void StartTransport(int fd, EndPoint peer, IProtocol protocol);

    /// <summary>Releases what the family holds beyond the socket (a socket file, a lock), after the socket is closed.</summary>
    protected virtual void OnClosed()
    {
    }

    /// <summary>
    /// Takes an accepted connection elsewhere instead of starting it here (a listener that hands
    /// connections to other loops); false: start it on this port's loop.
    /// </summary>
    protected virtual bool TryHandOff(int fd, EndPoint peer) => false;

    private void StartConnection(int fd, EndPoint peer)
    {
        if (AcceptedConnection.Start(Host, Syscalls, Factory, fd, peer, this, this) == AcceptedConnection.Outcome.TransportFailed)
        {
            AcceptedConnectionsRefused++;
        }
    }

    void ITransportStarter.StartTransport(int fd, EndPoint peer, IProtocol protocol) => StartTransport(fd, peer, protocol);

    /// <summary>
    /// Out of descriptors or memory: stop watching the socket for a moment (a level-triggered
    /// selector would report it readable again at once: a busy loop), then try again. Existing
    /// connections carry on; waiting clients stay in the kernel's backlog.
    /// </summary>
    private void PauseAccepting(Errno errno)
    {
        AcceptPauses++;
        if (_episodePauses++ == 0)
        {
            _episodeStarted = Host.Now;
            _episodeError = errno;
            NetLog.AcceptPaused(Host.Logger, this, errno, AcceptRetryDelay.TotalMilliseconds);
        }
        Host.RemoveReader(this);
        _acceptRetry = Host.CallLater(AcceptRetryDelay, () =>
        {
            _acceptRetry = null;
            if (_fd >= 0 && !_paused) Host.AddReader(this);
        });
    }

    /// <summary>Logs the summary of the back-off episode that just ended (accept works again, or the port closed).</summary>
    private void EndBackOffEpisode()
    {
        NetLog.AcceptBackOffEnded(Host.Logger, this, _episodeError, _episodePauses, (Host.Now - _episodeStarted).TotalMilliseconds);
        _episodePauses = 0;
    }

    /// <summary>Stops accepting until <see cref="ResumeProducing"/>; clients queue in the kernel's backlog.</summary>
    public void PauseProducing()
    {
        if (_paused || _fd < 0) return;
        _paused = true;
        Host.RemoveReader(this);
    }

    /// <summary>Accepts again after <see cref="PauseProducing"/> (unless an out-of-descriptors back-off is still running; it resumes when that ends).</summary>
    public void ResumeProducing()
    {
        if (!_paused) return;
        _paused = false;
        if (_fd >= 0 && !AcceptingPaused) Host.AddReader(this);
    }

    /// <summary>Stops listening for good (<see cref="StopListening"/>).</summary>
    public void StopProducing() => StopListening();

    /// <inheritdoc/>
    public Deferred<object?> StopListening()
    {
        if (_stopped is not null) return _stopped;
        Close();
        _stopped = Deferred.Succeed<object?>(null);
        return _stopped;
    }

    /// <summary>The reactor dropped the socket (shutdown, or an error): close it and stop the factory.</summary>
    public void ConnectionLost(Failure reason)
    {
        Close();
        _stopped ??= Deferred.Succeed<object?>(null);
    }

    private void Close()
    {
        if (_fd < 0) return;
        if (_acceptRetry is { Active: true }) _acceptRetry.Cancel();
        _acceptRetry = null;
        if (_episodePauses > 0) EndBackOffEpisode();
        try
        {
            Host.RemoveReader(this);
        }
        finally
        {
            // Closed even if the selector or the driver failed to let go, and exactly once: the number
            // is forgotten whatever close(2) says (after EINTR it may already be someone else's).
            var fd = _fd;
            _fd = -1;
            try
            {
                // Before the close: the kernel's request goes, and so do connections it accepted that nobody took.
                _acceptDriver?.Release(fd);
            }
            finally
            {
                Syscalls.Close(fd, out _);
            }
        }
        OnClosed();
        try
        {
            Factory.DoStop();
        }
        catch (Exception ex)
        {
            NetLog.FactoryDoStopFailed(Host.Logger, ex, Factory.GetType().FullName);
        }
    }
}
