using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>
/// Issue 19.11: setsockopt/getsockopt and the descriptor on TCP, TLS and UDP transports and on
/// listening ports (Python's socket.setsockopt/getsockopt/fileno; Twisted's tcp.py
/// setTcpNoDelay/setTcpKeepAlive are the TCP special cases, test_tcp.py TCPConnectionTests.test_tcpNoDelay).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class SocketOptionsTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    private (RecordingProtocol Server, RecordingProtocol Client, IListeningPort Port) Connect()
    {
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { ConnectionMadeCount: 1 } && client.ConnectionMadeCount == 1, "the connection");
        return (server!, client, port);
    }

    [Test]
    public void TcpTransportOptionsRoundTripAndAgreeWithTheTcpSpecialCases()
    {
        var (_, client, _) = Connect();
        var socket = (ISocketOptions)client.Transport;

        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay), Is.Not.Zero);
        Assert.That(client.Tcp.GetTcpNoDelay(), Is.True);
        client.Tcp.SetTcpKeepAlive(true);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive), Is.Not.Zero);

        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 32768);
        // Linux doubles the value for its bookkeeping; every OS gives at least what was asked.
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer), Is.GreaterThanOrEqualTo(32768));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 17);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval), Is.EqualTo(17));
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive, 9);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.IP, SocketOptionName.IpTimeToLive), Is.EqualTo(9));

        socket.SetLinger(new LingerOption(true, 3));
        var linger = socket.GetLinger();
        Assert.That((linger.Enabled, linger.LingerTime), Is.EqualTo((true, 3)));
    }

    [Test]
    public void TheDescriptorAndTheRawCallsReachTheSameSocket()
    {
        var (server, client, _) = Connect();
        var socket = (ISocketOptions)client.Transport;
        Assert.That(socket.FileDescriptor, Is.GreaterThanOrEqualTo(0));
        Assert.That(socket.FileDescriptor, Is.Not.EqualTo(((ISocketOptions)server.Transport).FileDescriptor));

        Span<byte> value = stackalloc byte[sizeof(int)];
        var length = socket.GetRawSocketOption(NativeConstants.SOL_SOCKET, NativeConstants.SO_KEEPALIVE, value);
        Assert.That((length, BitConverter.ToInt32(value)), Is.EqualTo((sizeof(int), 0)));
        socket.SetRawSocketOption(NativeConstants.SOL_SOCKET, NativeConstants.SO_KEEPALIVE, BitConverter.GetBytes(1));
        Assert.That(client.Tcp.GetTcpKeepAlive(), Is.True, "the raw call set the option the typed one reads");
    }

    [Test]
    public void AClosedTransportSaysSoAndBadOptionsAreArgumentErrors()
    {
        var (_, client, _) = Connect();
        var socket = (ISocketOptions)client.Transport;
        Assert.Throws<ArgumentException>(() => socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Linger, 1));
        Assert.Throws<ArgumentException>(() => socket.GetSocketOption(SocketOptionLevel.Udp, SocketOptionName.ChecksumCoverage));
        Assert.Throws<ArgumentOutOfRangeException>(() => socket.SetLinger(new LingerOption(true, 0) { LingerTime = -1 }));
        var refused = Assert.Throws<SocketException>(() => socket.SetRawSocketOption(NativeConstants.SOL_SOCKET, NativeConstants.SO_KEEPALIVE, new byte[1]))!;
        Assert.That(refused.SocketErrorCode, Is.EqualTo(SocketError.InvalidArgument), "the kernel's EINVAL for a short value");

        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.IsLost, "the close");
        Assert.That(socket.FileDescriptor, Is.EqualTo(-1));
        Assert.Throws<ObjectDisposedException>(() => socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay));
    }

    [Test]
    public void ListeningPortsHaveOptionsToo()
    {
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()), @interface: "127.0.0.1");
        var socket = (ISocketOptions)port;
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection), Is.Not.Zero, "SO_ACCEPTCONN: it listens");
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress), Is.Not.Zero, "Twisted's ports set SO_REUSEADDR");
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 65536);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer), Is.GreaterThanOrEqualTo(65536));
    }

    [Test]
    public void UdpPortsSetBroadcastAndTtl()
    {
        var port = _reactor.ListenUdp(0, new QuietDatagrams(), "127.0.0.1");
        ISocketOptions socket = port;
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Type), Is.EqualTo(2), "SOCK_DGRAM");
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast, true);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Broadcast), Is.Not.Zero);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 4);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive), Is.EqualTo(4));
    }

    [Test]
    public void ATlsTransportReachesTheSocketUnderIt()
    {
        TlsRecorder? server = null;
        var port = _reactor.ListenSsl(0, Factory.ForProtocol(() => server = new TlsRecorder()), TlsPair.ServerOptions(), @interface: "127.0.0.1");
        var client = new TlsRecorder();
        _reactor.ConnectSsl("localhost", NetTesting.PortOf(port), new RecordingClientFactory(() => client), TlsPair.ClientOptions());
        _reactor.RunUntil(() => client.HandshakeDone && server is { HandshakeDone: true }, "the handshake");

        var socket = (ISocketOptions)client.Transport;
        Assert.That(socket.FileDescriptor, Is.GreaterThanOrEqualTo(0));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay, true);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.NoDelay), Is.Not.Zero);
        Assert.That(socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Type), Is.EqualTo(1), "SOCK_STREAM");
    }

    private sealed class QuietDatagrams : DatagramProtocol;
}
