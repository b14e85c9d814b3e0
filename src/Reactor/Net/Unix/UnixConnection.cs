using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Stream;
using Reactor.Protocols;
using Reactor.Net.Internal;

namespace Reactor.Net.Unix;

/// <summary>
/// A UNIX stream connection: the shared stream transport (the same one TCP uses), plus paths as
/// addresses, peer credentials, and descriptor passing through <see cref="DescriptorPassingSyscalls"/>
/// (Twisted's <c>unix.Server</c> / <c>unix.Client</c>).
/// </summary>
internal sealed class UnixConnection : StreamTransport, IUnixTransport
{
    private readonly UnixTransportHost _unixHost;
    private readonly EndPoint _host;
    private readonly EndPoint _peer;
    private readonly UnixConnector? _connector;
    private readonly Queue<int> _descriptorsToSend = new();

    /// <summary>Wraps the connected descriptor <paramref name="fd"/>; <paramref name="connector"/> is set for a client.</summary>
    public UnixConnection(UnixTransportHost host, int fd, EndPoint localAddress, EndPoint peerAddress, UnixConnector? connector = null)
        : base(host, fd)
    {
        _unixHost = host;
        _host = localAddress;
        _peer = peerAddress;
        _connector = connector;
        host.Descriptors.Register(this);
    }

    /// <inheritdoc/>
    private protected override Internal.StreamCounters CountersIn(Internal.NetInstruments instruments) => instruments.Unix;

    /// <inheritdoc/>
    public override EndPoint GetPeer() => _peer;

    /// <inheritdoc/>
    public override EndPoint GetHost() => _host;

    /// <summary>True while a queued descriptor waits for a byte to travel with.</summary>
    internal bool HasDescriptorsToSend => _descriptorsToSend.Count > 0;

    /// <inheritdoc/>
    public void SendFileDescriptor(int fileDescriptor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileDescriptor);
        if (!Connected || FileDescriptor < 0) throw new InvalidOperationException("The UNIX connection is closed.");
        _descriptorsToSend.Enqueue(fileDescriptor);
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
    protected override void OnConnectionLost(Failure reason) => _connector?.ConnectionLost(reason);

    /// <inheritdoc/>
    public override string ToString() => $"UnixConnection({UnixPaths.Printable(_host.ToString()!)} <- {UnixPaths.Printable(_peer.ToString()!)}, fd {FileDescriptor})";

    /// <summary>The next descriptor to send (it stays queued until <see cref="DescriptorSent"/>).</summary>
    internal int PeekDescriptorToSend() => _descriptorsToSend.Peek();

    /// <summary>The kernel took the descriptor at the head of the queue.</summary>
    internal void DescriptorSent() => _descriptorsToSend.Dequeue();

    /// <summary>
    /// Descriptors arrived (before the bytes they came with are handed to <c>DataReceived</c>): a
    /// receiving protocol gets each; otherwise they are closed, as Twisted does.
    /// </summary>
    internal void DescriptorsReceived(ReadOnlySpan<int> descriptors, bool truncated)
    {
        if (truncated)
        {
            NetLog.TooManyDescriptorsReceived(_unixHost.Logger, this);
        }
        if (Protocol is not IFileDescriptorReceiver receiver)
        {
            NetLog.DescriptorsRefusedByProtocol(_unixHost.Logger, Protocol.GetType().FullName, this, descriptors.Length);
            foreach (var fd in descriptors) Syscalls.Close(fd, out _);
            return;
        }
        for (var i = 0; i < descriptors.Length; i++)
        {
            try
            {
                receiver.FileDescriptorReceived(descriptors[i]);
            }
            catch (Exception ex)
            {
                LogUserError(ex, "FileDescriptorReceived");
            }
        }
    }

    /// <summary>The socket is being closed: descriptors never sent are reported (Twisted's <c>FileDescriptorOverrun</c> case).</summary>
    internal void SocketClosing()
    {
        if (_descriptorsToSend.Count == 0) return;
        NetLog.DescriptorsNotSent(_unixHost.Logger, this, _descriptorsToSend.Count);
        _descriptorsToSend.Clear();
    }
}
