using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Stream;
using Reactor.Net.Tls;
using Reactor.Net.Tls.Internal;
using Reactor.Protocols;
using Reactor.Net.Internal;

namespace Reactor.Net.Unix;

/// <summary>
/// A UNIX stream connection: the shared stream transport (the same one TCP uses), plus paths as
/// addresses, peer credentials, and descriptor passing, which overrides the transport's I/O seam with
/// recvmsg/sendmsg (Twisted's <c>unix.Server</c> / <c>unix.Client</c>, whose <c>_SendmsgMixin</c> does the same).
/// </summary>
/// <remarks>
/// Each queued descriptor is sent with one byte of the stream (as Twisted does), so the receiver can
/// pair it with the bytes it came with; received descriptors are handed to the protocol before the
/// bytes they arrived with.
/// </remarks>
internal sealed partial class UnixConnection : StreamTransport, IUnixTransport, IStartTls
{
    private readonly IDatagramSyscalls _messages;
    private readonly EndPoint _host;
    private readonly EndPoint _peer;
    private readonly StreamConnector? _connector;
    private readonly Queue<int> _descriptorsToSend = new();

    /// <summary>Wraps the connected descriptor <paramref name="fd"/>; <paramref name="connector"/> is set for a client.</summary>
    /// <remarks>
    /// Always the readiness path: descriptors ride on recvmsg/sendmsg control data, which the
    /// seam's overrides below carry and a completion driver's plain receives would drop.
    /// </remarks>
    public UnixConnection(ITransportHost host, int fd, EndPoint localAddress, EndPoint peerAddress, StreamConnector? connector = null,
        IDatagramSyscalls? messages = null)
        : base(host, fd, readinessOnly: true)
    {
        _messages = messages ?? LibcDatagramSyscalls.Instance;
        _host = localAddress;
        _peer = peerAddress;
        _connector = connector;
    }

    /// <inheritdoc/>
    private protected override Internal.StreamCounters CountersIn(Internal.NetInstruments instruments) => instruments.Unix;

    /// <inheritdoc/>
    public override EndPoint GetPeer() => _peer;

    /// <inheritdoc/>
    public override EndPoint GetHost() => _host;

    /// <inheritdoc/>
    public void SendFileDescriptor(int fileDescriptor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileDescriptor);
        if (!Connected || FileDescriptor < 0) throw new InvalidOperationException("The UNIX connection is closed.");
        // A copy is queued, so the caller may close (or reuse the number of) its own at once without
        // changing what is sent later (issue 12); the copy is closed once sent or when the connection ends.
        var copy = Syscalls.Fcntl(fileDescriptor, ProcessConstants.F_DUPFD_CLOEXEC, 0, out var errno);
        if (copy < 0) throw new ArgumentException($"{fileDescriptor} is not an open descriptor ({errno}).", nameof(fileDescriptor));
        _descriptorsToSend.Enqueue(copy);
    }

    /// <inheritdoc/>
    public unsafe UnixCredentials GetPeerCredentials()
    {
        var fd = FileDescriptor;
        if (fd < 0) throw new InvalidOperationException("The UNIX connection is closed.");
        if (DatagramConstants.SO_PEERCRED != 0)
        {
            // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            var credentials = stackalloc int[3];
            var length = 3 * sizeof(int);
            if (Syscalls.GetSockOpt(fd, NativeConstants.SOL_SOCKET, DatagramConstants.SO_PEERCRED, credentials, &length, out var errno) < 0)
            {
                throw errno.ToSocketException();
            }
            return new UnixCredentials(credentials[0], (uint)credentials[1], (uint)credentials[2]);
        }
        if (OperatingSystem.IsMacOS())
        {
            // struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[16]; }
            var xucred = stackalloc byte[76];
            var length = 76;
            if (Syscalls.GetSockOpt(fd, DatagramConstants.SOL_LOCAL, DatagramConstants.LOCAL_PEERCRED, xucred, &length, out var errno) < 0)
            {
                throw errno.ToSocketException();
            }
            int pid = 0;
            var pidLength = sizeof(int);
            Syscalls.GetSockOpt(fd, DatagramConstants.SOL_LOCAL, DatagramConstants.LOCAL_PEERPID, &pid, &pidLength, out _);
            return new UnixCredentials(pid, *(uint*)(xucred + 4), *(uint*)(xucred + 12));
        }
        throw new PlatformNotSupportedException("This OS does not report the peer credentials of a UNIX socket.");
    }

    /// <inheritdoc/>
    public ITlsTransport StartTls(TlsOptions options) => StartTlsSupport.Start(this, options, Host, Host.Logger);

    /// <inheritdoc/>
    protected override void OnConnectionLost(Failure reason)
    {
        ReportUnsentDescriptors();
        _connector?.ConnectionLost(reason);
    }

    /// <inheritdoc/>
    public override string ToString() => $"UnixConnection({UnixPaths.Printable(_host.ToString()!)} <- {UnixPaths.Printable(_peer.ToString()!)}, fd {FileDescriptor})";
}
