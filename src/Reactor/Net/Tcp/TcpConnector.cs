using System.Net;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Protocols;

namespace Reactor.Net.Tcp;

/// <summary>
/// An outgoing TCP connection (Twisted's <c>tcp.Connector</c>): the shared connector life cycle
/// (<see cref="StreamConnector"/>) with one <see cref="TcpClientAttempt"/> per attempt (resolve,
/// non-blocking connect, timeout), traced as a "connect" activity.
/// </summary>
internal sealed class TcpConnector : StreamConnector
{
    private readonly string _hostName;
    private readonly int _port;
    private readonly IPEndPoint? _bindAddress;
    private System.Diagnostics.Activity? _activity;
    private TcpClientAttempt? _attempt;
    private IPEndPoint? _peer;

    public TcpConnector(ITransportHost host, string hostName, int port, ClientFactory factory, TimeSpan timeout, IPEndPoint? bindAddress)
        : base(host, factory, timeout)
    {
        _hostName = hostName;
        _port = port;
        _bindAddress = bindAddress;
    }

    /// <inheritdoc/>
    public override EndPoint GetDestination() =>
        IPAddress.TryParse(_hostName, out var address) ? new IPEndPoint(address, _port) : new DnsEndPoint(_hostName, _port);

    /// <inheritdoc/>
    protected override void PrepareAttempt()
    {
        // Traced once per attempt (resolution and connect), never per read or write.
        _activity = Host.Instruments.StartActivity("connect");
        _activity?.SetTag("server.address", _hostName);
        _activity?.SetTag("server.port", _port);
        _activity?.SetTag("network.transport", "tcp");
        _attempt = new TcpClientAttempt(Host, this, _hostName, _port, _bindAddress);
    }

    /// <inheritdoc/>
    protected override void BeginAttempt() => _attempt!.Start(Timeout);

    /// <inheritdoc/>
    protected override void AbandonAttempt()
    {
        _attempt?.Abandon();
        _attempt = null;
    }

    /// <inheritdoc/>
    protected override StreamTransport CreateConnection(int fd) => new TcpConnection(Host, fd, _peer!, this);

    /// <summary>The attempt connected (<see cref="TcpClientAttempt"/> reports here).</summary>
    internal void Connected(int fd, IPEndPoint peer)
    {
        _attempt = null;
        _peer = peer;
        AttemptSucceeded(fd, peer);
    }

    /// <summary>The attempt failed and released its socket (<see cref="TcpClientAttempt"/> reports here).</summary>
    internal void ConnectionFailed(Exception reason)
    {
        _attempt = null;
        AttemptFailed(reason);
    }

    /// <inheritdoc/>
    protected override void AttemptEnded(Exception? error, EndPoint? peer)
    {
        if (_activity is not { } activity) return;
        _activity = null;
        if (peer is IPEndPoint ip) activity.SetTag("network.peer.address", ip.Address.ToString());
        if (error is not null)
        {
            activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Message);
            activity.SetTag("error.type", error.GetType().FullName);
        }
        activity.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"TcpConnector({_hostName}:{_port}, {State})";
}
