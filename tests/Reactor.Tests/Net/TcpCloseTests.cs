using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>How each way of closing looks from both ends: FIN after all data, RST, half-close.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TcpCloseTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = NetTesting.CreateReactor(kind, new CapturingLogger());

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    /// <summary>A plain .NET socket as the peer, read between reactor iterations.</summary>
    private (Socket Peer, RecordingProtocol Server) ConnectRawPeer(Action<RecordingProtocol> onConnectionMade)
    {
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol { OnConnectionMade = onConnectionMade }), @interface: "127.0.0.1");
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        // The kernel completes the handshake from its backlog, before the reactor accepts.
        peer.Connect(new IPEndPoint(IPAddress.Loopback, NetTesting.PortOf(port)));
        peer.Blocking = false;
        _reactor.RunUntil(() => server is not null, "the server to accept");
        return (peer, server!);
    }

    /// <summary>Reads from the peer until end of stream or an error, iterating the reactor meanwhile.</summary>
    private (byte[] Data, SocketError End) ReadToEnd(Socket peer)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        SocketError? end = null;
        _reactor.RunUntil(() =>
        {
            while (end is null)
            {
                var n = peer.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock) return false;
                if (error != SocketError.Success)
                {
                    end = error;
                    return true;
                }
                if (n == 0)
                {
                    end = SocketError.Success; // FIN
                    return true;
                }
                received.Write(buffer, 0, n);
            }
            return true;
        }, "the peer to see the end of the stream (read " + received.Length + " bytes so far)");
        return (received.ToArray(), end!.Value);
    }

    [Test]
    public void LoseConnectionIsAFinAfterEveryByte()
    {
        var payload = new byte[4 * 1024 * 1024];
        for (var i = 0; i < payload.Length; i++) payload[i] = NetTesting.PatternAt(i);
        var (peer, server) = ConnectRawPeer(p =>
        {
            p.Transport.Write(payload);
            p.Transport.LoseConnection();
        });
        using (peer)
        {
            var (data, end) = ReadToEnd(peer);
            Assert.That(end, Is.EqualTo(SocketError.Success), "a FIN, not a reset");
            Assert.That(data, Is.EqualTo(payload));
        }
        _reactor.RunUntil(() => server.IsLost, "the server's ConnectionLost");
        Assert.That(server.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void AbortConnectionIsAResetThatDropsPendingData()
    {
        // Twisted: internet/test/test_tcp.py AbortConnectionMixin: the peer gets RST, not the 8 MiB.
        var payload = new byte[8 * 1024 * 1024];
        var (peer, server) = ConnectRawPeer(p =>
        {
            p.Transport.Write(payload);
            ((IStreamTransport)p.Transport).AbortConnection();
            ((IStreamTransport)p.Transport).AbortConnection(); // idempotent
            p.Transport.LoseConnection(); // no effect after an abort
        });
        using (peer)
        {
            var (data, end) = ReadToEnd(peer);
            Assert.That(end, Is.EqualTo(SocketError.ConnectionReset));
            Assert.That(data.Length, Is.LessThan(payload.Length));
        }
        _reactor.RunUntil(() => server.IsLost, "the server's ConnectionLost");
        Assert.That(server.LostReason!.Value, Is.InstanceOf<ConnectionAborted>());
        Assert.That(server.LostCount, Is.EqualTo(1));
    }

    [Test]
    public void AbortInsideDataReceivedReportsLossAfterItReturns()
    {
        var lostDuringCall = false;
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnData = (p, _) =>
            {
                ((IStreamTransport)p.Transport).AbortConnection();
                lostDuringCall = p.IsLost;
            },
        }), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("x"u8) };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.IsLost && server is { IsLost: true }, "both ends to close");

        Assert.That(lostDuringCall, Is.False, "ConnectionLost is never re-entered from inside DataReceived");
        Assert.That(server!.LostReason!.Value, Is.InstanceOf<ConnectionAborted>());
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionLost>().And.Not.InstanceOf<ConnectionAborted>());
    }

    [Test]
    public void ResetByThePeerIsConnectionLostCarryingTheOsError()
    {
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { Connected: true } && client.Connected, "the connection");

        ((IStreamTransport)server!.Transport).AbortConnection();
        _reactor.RunUntil(() => client.IsLost, "the client to see the reset");

        var reason = client.LostReason!.Value;
        Assert.That(reason, Is.InstanceOf<ConnectionLost>());
        Assert.That(((ConnectionError)reason).SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
    }

    [Test]
    public void HalfCloseLetsTheServerAnswerAfterTheClientsFin()
    {
        // Twisted: the half-closeable protocol hears readConnectionLost and may still write.
        HalfCloseRecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new HalfCloseRecordingProtocol
        {
            OnReadConnectionLost = p =>
            {
                p.Transport.Write(p.Received.ToArray());
                p.Transport.Write(" done"u8);
                p.Transport.LoseConnection();
            },
        }), @interface: "127.0.0.1");
        var client = new HalfCloseRecordingProtocol
        {
            OnConnectionMade = p =>
            {
                p.Transport.Write("ping"u8);
                ((IStreamTransport)p.Transport).LoseWriteConnection();
                p.Transport.Write("dropped"u8); // after the write side is closed
            },
            OnReadConnectionLost = p => p.Transport.LoseConnection(),
        };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.IsLost && server is { IsLost: true }, "both ends to close");

        Assert.That(server!.Received.ToArray(), Is.EqualTo("ping"u8.ToArray()));
        Assert.That(server.ReadLostCount, Is.EqualTo(1));
        Assert.That(client.WriteLostCount, Is.EqualTo(1));
        Assert.That(client.Received.ToArray(), Is.EqualTo("ping done"u8.ToArray()));
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(server.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void WithoutHalfCloseSupportAFinClosesTheConnection()
    {
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => ((IStreamTransport)p.Transport).LoseWriteConnection() };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { IsLost: true }, "the server to see the FIN");
        Assert.That(server!.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void PausedTransportReportsThePeersCloseAfterResuming()
    {
        // Twisted: internet/test/test_tcp.py test_connectionLostAfterPausedTransport.
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol { OnConnectionMade = p => p.Transport.PauseProducing() }), @interface: "127.0.0.1");
        var client = new RecordingProtocol { OnConnectionMade = p => { p.Transport.Write("bytes"u8); p.Transport.LoseConnection(); } };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.IsLost, "the client to close");
        for (var i = 0; i < 5; i++) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        Assert.That(server!.IsLost, Is.False, "nothing is reported while paused");
        Assert.That(server.Received.Length, Is.Zero);

        server.Transport.ResumeProducing();
        _reactor.RunUntil(() => server.IsLost, "the close to be reported after resuming");
        Assert.That(server.Received.ToArray(), Is.EqualTo("bytes"u8.ToArray()));
        Assert.That(server.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void ReactorShutdownClosesConnectionsAndPorts()
    {
        RecordingProtocol? server = null;
        var factory = new RecordingClientFactory(() => server = new RecordingProtocol());
        var port = _reactor.ListenTcp(0, factory, @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => server is { Connected: true } && client.Connected, "the connection");

        _reactor.Dispose();
        Assert.That(server!.IsLost && client.IsLost, Is.True);
        Assert.That(factory.StopFactoryCount, Is.EqualTo(1), "the port stopped its factory");
    }
}
