using System.Net;
using Reactor.Core;
using Reactor.Net;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Udp;

/// <summary>Connected UDP: one peer, Write without an address, ICMP refusals reported to the protocol.</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ConnectedUdpTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = CreateReactor(out _, kind);

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    /// <summary>A loopback port nobody listens on: bound, then closed.</summary>
    private int ClosedPort(string loopback)
    {
        var probe = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), loopback);
        var port = ((IPEndPoint)probe.GetHost()).Port;
        Wait(_reactor, probe.StopListening(), "closing the probe port");
        return port;
    }

    // Twisted: test_udp.py UDPTests.test_connectionRefused — the ICMP port-unreachable a datagram
    // draws comes back as ECONNREFUSED on the next read, and the protocol hears ConnectionRefused.
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public void AnIcmpRefusalIsReportedAsConnectionRefused(string loopback)
    {
        var deadPort = ClosedPort(loopback);
        var client = new RecordingDatagramProtocol();
        var port = _reactor.ListenUdp(0, client, loopback);
        port.Connect(loopback, deadPort);
        Assert.That(port.GetPeer(), Is.EqualTo(new IPEndPoint(IPAddress.Parse(loopback), deadPort)));

        Assert.That(port.Write("anyone there?"u8), Is.True);
        IterateUntil(_reactor, () => client.Refusals > 0, "ConnectionRefused");
        Assert.That(port.Listening, Is.True, "a refusal does not close the port");
    }

    [Test]
    public void AConnectedPortTalksOnlyToItsPeer()
    {
        var server = new RecordingDatagramProtocol();
        server.OnDatagram = (data, from) => server.Transport.Write(data, from);
        var serverPort = _reactor.ListenUdp(0, server, "127.0.0.1");
        var stranger = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");

        var client = new RecordingDatagramProtocol();
        var clientPort = _reactor.ListenUdp(0, client, "127.0.0.1");
        clientPort.Connect("127.0.0.1", ((IPEndPoint)serverPort.GetHost()).Port);

        // The kernel drops what others send to a connected socket; the peer's echo gets through.
        stranger.Write("from a stranger"u8, clientPort.GetHost());
        clientPort.Write("ping"u8);
        IterateUntil(_reactor, () => client.Received.Count == 1, "the echo");
        Assert.Multiple(() =>
        {
            Assert.That(client.Received[0].Data, Is.EqualTo("ping"u8.ToArray()));
            Assert.That(client.Received[0].From, Is.EqualTo(serverPort.GetHost()));
            Assert.That(clientPort.Write("to the peer by address"u8, serverPort.GetHost()), Is.True);
            Assert.That(() => clientPort.Write("elsewhere"u8, stranger.GetHost()), Throws.ArgumentException);
        });
    }

    // Twisted: udp.py Port.connect — IP literals only, and only once.
    [Test]
    public void ConnectTakesOneIPLiteralOnce()
    {
        var port = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");
        Assert.Multiple(() =>
        {
            Assert.That(() => port.Connect("localhost", 53), Throws.ArgumentException.With.Message.Contains("does not resolve names"));
            Assert.That(() => port.Connect("::1", 53), Throws.ArgumentException.With.Message.Contains("IPv4"));
            Assert.That(() => port.Connect("127.0.0.1", 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
        port.Connect("127.0.0.1", 53);
        Assert.That(() => port.Connect("127.0.0.1", 54), Throws.InvalidOperationException.With.Message.Contains("already connected"));
    }
}
