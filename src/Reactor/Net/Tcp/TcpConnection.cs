using System.Net;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tls;
using Reactor.Net.Tls.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Tcp;

/// <summary>
/// A TCP connection: the shared stream transport plus addresses and the TCP options (Twisted's
/// <c>tcp.Server</c> / <c>tcp.Client</c> once connected).
/// </summary>
internal sealed class TcpConnection : StreamTransport, ITcpTransport, IStartTls
{
    private readonly StreamConnector? _connector;
    private IPEndPoint? _host;
    private readonly IPEndPoint _peer;

    /// <summary>Wraps an accepted (<paramref name="connector"/> null) or connected descriptor.</summary>
    public TcpConnection(ITransportHost host, int fd, IPEndPoint peer, StreamConnector? connector = null) : base(host, fd)
    {
        _peer = peer;
        _connector = connector;
    }

    /// <inheritdoc/>
    public override EndPoint GetPeer() => _peer;

    /// <inheritdoc/>
    public override EndPoint GetHost()
    {
        if (_host is null && FileDescriptor >= 0) _host = SocketOptions.GetLocalEndPoint(Syscalls, FileDescriptor);
        return _host ?? new IPEndPoint(_peer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6None : IPAddress.None, 0);
    }

    /// <inheritdoc/>
    public bool GetTcpNoDelay() => GetOption(NativeConstants.IPPROTO_TCP, NativeConstants.TCP_NODELAY);

    /// <inheritdoc/>
    public void SetTcpNoDelay(bool enabled) => SetOption(NativeConstants.IPPROTO_TCP, NativeConstants.TCP_NODELAY, enabled);

    /// <inheritdoc/>
    public bool GetTcpKeepAlive() => GetOption(NativeConstants.SOL_SOCKET, NativeConstants.SO_KEEPALIVE);

    /// <inheritdoc/>
    public void SetTcpKeepAlive(bool enabled) => SetOption(NativeConstants.SOL_SOCKET, NativeConstants.SO_KEEPALIVE, enabled);

    /// <inheritdoc/>
    public ITlsTransport StartTls(TlsOptions options) => StartTlsSupport.Start(this, options, Host, Host.Logger);

    /// <inheritdoc/>
    protected override void OnConnectionLost(Failure reason) => _connector?.ConnectionLost(reason);

    /// <inheritdoc/>
    public override string ToString() => $"TcpConnection({_peer}, fd {FileDescriptor})";

    private bool GetOption(int level, int name)
    {
        ThrowIfClosed();
        return SocketOptions.GetInt(Syscalls, FileDescriptor, level, name) != 0;
    }

    private void SetOption(int level, int name, bool enabled)
    {
        ThrowIfClosed();
        var errno = SocketOptions.SetInt(Syscalls, FileDescriptor, level, name, enabled ? 1 : 0);
        if (!errno.IsSuccess) throw errno.ToSocketException();
    }

    private void ThrowIfClosed()
    {
        if (FileDescriptor < 0) throw new ObjectDisposedException(ToString(), "The connection is closed.");
    }
}
