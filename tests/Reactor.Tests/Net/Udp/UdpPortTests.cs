using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Udp;
using Reactor.Net;
using Reactor.Protocols;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Udp;

/// <summary>ListenUdp, Write, the drain bound and errors, on loopback (IPv4 and IPv6).</summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class UdpPortTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private LogRecorder _log = null!;

    [SetUp]
    public void SetUp() => _reactor = CreateReactor(out _log, kind);

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    // Twisted: test_udp.py UDPTests.test_startStop / test_oldAddress — StartProtocol on listen,
    // StopProtocol and a fired Deferred on StopListening, the OS-chosen port from GetHost.
    [Test]
    public void ListenStartsAndStopListeningStopsTheProtocol()
    {
        var protocol = new RecordingDatagramProtocol();
        var port = _reactor.ListenUdp(0, protocol, "127.0.0.1");
        var host = (IPEndPoint)port.GetHost();
        Assert.Multiple(() =>
        {
            Assert.That(host.Address, Is.EqualTo(IPAddress.Loopback));
            Assert.That(host.Port, Is.GreaterThan(0));
            Assert.That(protocol.Starts, Is.EqualTo(1));
            Assert.That(protocol.Transport, Is.SameAs(port));
        });

        var stopped = port.StopListening();
        Assert.That(port.StopListening(), Is.SameAs(stopped), "a second StopListening returns the same Deferred");
        Wait(_reactor, stopped, "StopListening");
        Assert.Multiple(() =>
        {
            Assert.That(protocol.Stops, Is.EqualTo(1));
            Assert.That(port.FileDescriptor, Is.EqualTo(-1));
            Assert.That(() => protocol.Transport, Throws.InvalidOperationException);
            Assert.That(() => port.Write(new byte[1], host), Throws.InvalidOperationException);
        });

        // Twisted: test_udp.py UDPTests.test_rebind — the same protocol may listen again.
        var again = _reactor.ListenUdp(0, protocol, "127.0.0.1");
        Assert.That(protocol.Starts, Is.EqualTo(2));
        Wait(_reactor, again.StopListening(), "the second StopListening");
        Assert.That(protocol.Stops, Is.EqualTo(2));
    }

    // Twisted: test_udp.py ReactorShutdownInteractionTests.testShutdownFromDatagramReceived — the
    // port dropped from inside DatagramReceived ends the read loop instead of spinning.
    [Test]
    public void APortDroppedInsideDatagramReceivedEndsItsReadLoop()
    {
        var receiver = new RecordingDatagramProtocol();
        var port = _reactor.ListenUdp(0, receiver, "127.0.0.1");
        receiver.OnDatagram = (_, _) => ((IFileDescriptor)port).ConnectionLost(new Reactor.Defer.Failure(new ConnectionLost()));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (var i = 0; i < 10; i++) sender.SendTo(new byte[64], port.GetHost());
        IterateUntil(_reactor, () => receiver.Stops == 1, "the port to close");
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received, Has.Count.EqualTo(1));
            Assert.That(port.Listening, Is.False);
        });
    }

    // Twisted: test_udp.py UDPTests.test_bindError.
    [Test]
    public void BindingAPortInUseIsCannotListenError()
    {
        var first = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");
        var taken = ((IPEndPoint)first.GetHost()).Port;
        var error = Assert.Throws<CannotListenError>(() => _reactor.ListenUdp(taken, new RecordingDatagramProtocol(), "127.0.0.1"));
        Assert.That(error!.Address, Does.Contain(taken.ToString()));
    }

    [Test]
    public void BadArgumentsAreArgumentExceptions()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _reactor.ListenUdp(-1, new RecordingDatagramProtocol()), Throws.InstanceOf<ArgumentException>());
            Assert.That(() => _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "localhost"), Throws.InstanceOf<ArgumentException>().With.Message.Contains("localhost"));
            Assert.That(() => _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1", maxPacketSize: 0), Throws.InstanceOf<ArgumentException>());
        });
    }

    // Twisted: test_udp.py UDPTests.test_sendPackets, for both families.
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    public void DatagramsTravelBothWaysIntact(string loopback)
    {
        var server = new RecordingDatagramProtocol();
        server.OnDatagram = (data, from) => server.Transport.Write(data, from);
        var serverPort = _reactor.ListenUdp(0, server, loopback);
        var client = new RecordingDatagramProtocol();
        var clientPort = _reactor.ListenUdp(0, client, loopback);

        var payloads = new[] { "hello"u8.ToArray(), Array.Empty<byte>(), Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray() };
        foreach (var payload in payloads) Assert.That(clientPort.Write(payload, serverPort.GetHost()), Is.True);
        IterateUntil(_reactor, () => client.Received.Count == payloads.Length, "three echoes");

        Assert.Multiple(() =>
        {
            for (var i = 0; i < payloads.Length; i++)
            {
                Assert.That(server.Received[i].Data, Is.EqualTo(payloads[i]));
                Assert.That(server.Received[i].From, Is.EqualTo(clientPort.GetHost()));
                Assert.That(client.Received[i].Data, Is.EqualTo(payloads[i]));
                Assert.That(client.Received[i].From, Is.EqualTo(serverPort.GetHost()), "replies come from the listening port");
            }
            // One sender, one EndPoint instance: a protocol can key state by it and nothing is allocated per datagram.
            Assert.That(server.Received[1].From, Is.SameAs(server.Received[0].From));
            Assert.That(server.Received[2].From, Is.SameAs(server.Received[0].From));
        });
    }

    [Test]
    public void AnIPv4DestinationOnAnIPv6PortIsMapped()
    {
        var v4 = new RecordingDatagramProtocol();
        var v4Port = _reactor.ListenUdp(0, v4, "127.0.0.1");
        var v6Port = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "::");
        v6Port.Write("mapped"u8, new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)v4Port.GetHost()).Port));
        IterateUntil(_reactor, () => v4.Received.Count == 1, "the datagram sent from the IPv6 port");
        Assert.That(v4.Received[0].Data, Is.EqualTo("mapped"u8.ToArray()));
    }

    [Test]
    public void WritingToTheWrongKindOfAddressIsAnArgumentException()
    {
        var v4Port = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");
        Assert.Multiple(() =>
        {
            Assert.That(() => v4Port.Write(new byte[1], new IPEndPoint(IPAddress.IPv6Loopback, 9)), Throws.ArgumentException.With.Message.Contains("IPv4"));
            Assert.That(() => v4Port.Write(new byte[1], new DnsEndPoint("localhost", 9)), Throws.ArgumentException.With.Message.Contains("IPEndPoint"));
            Assert.That(() => v4Port.Write(new byte[1]), Throws.InvalidOperationException.With.Message.Contains("not connected"));
        });
    }

    // Twisted raises MessageLengthError on EMSGSIZE (udp.py write()); we name the size and the limit.
    [Test]
    public void ADatagramLargerThanThePathAllowsIsAClearError()
    {
        var receiver = new RecordingDatagramProtocol();
        var receiverPort = _reactor.ListenUdp(0, receiver, "127.0.0.1", maxPacketSize: IUdpPort.MaxIPv4Datagram);
        var sender = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");

        var error = Assert.Throws<MessageLengthError>(() => sender.Write(new byte[IUdpPort.MaxIPv4Datagram + 1], receiverPort.GetHost()));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Size, Is.EqualTo(65_508));
            Assert.That(error.Limit, Is.EqualTo(65_507));
            Assert.That(error.Message, Does.Contain("65508").And.Contain("65507"));
        });

        // The largest datagram IPv4 allows goes through whole.
        var largest = new byte[IUdpPort.MaxIPv4Datagram];
        new Random(7).NextBytes(largest);
        Assert.That(sender.Write(largest, receiverPort.GetHost()), Is.True);
        IterateUntil(_reactor, () => receiver.Received.Count == 1, "the 65,507-byte datagram");
        Assert.That(receiver.Received[0].Data, Is.EqualTo(largest));
    }

    [Test]
    public void ADatagramLongerThanMaxPacketSizeIsDroppedAndLogged()
    {
        var receiver = new RecordingDatagramProtocol();
        var receiverPort = _reactor.ListenUdp(0, receiver, "127.0.0.1", maxPacketSize: 100);
        var sender = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");
        sender.Write(new byte[101], receiverPort.GetHost());
        sender.Write(new byte[100], receiverPort.GetHost());
        IterateUntil(_reactor, () => receiver.Received.Count == 1, "the datagram that fits");
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received[0].Data, Has.Length.EqualTo(100));
            Assert.That(receiverPort.DroppedOversized, Is.EqualTo(1));
            Assert.That(_log.Contains(LogLevel.Warning, "longer than MaxPacketSize (100 bytes)"), Is.True);
        });
    }

    [Test]
    public void OneReadinessReportDeliversAtMost32Datagrams()
    {
        var receiver = new RecordingDatagramProtocol();
        var receiverPort = _reactor.ListenUdp(0, receiver, "127.0.0.1");
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (var i = 0; i < 100; i++) sender.SendTo(BitConverter.GetBytes(i), receiverPort.GetHost());

        var perRead = new List<int>();
        var until = DateTime.UtcNow + Deadline;
        while (receiver.Received.Count < 100 && DateTime.UtcNow < until)
        {
            var before = receiver.Received.Count;
            ((IReadDescriptor)receiverPort).DoRead();
            perRead.Add(receiver.Received.Count - before);
        }
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Received, Has.Count.EqualTo(100));
            Assert.That(perRead, Has.All.LessThanOrEqualTo(IDatagramPort.MaxDatagramsPerRead));
            Assert.That(perRead.Max(), Is.EqualTo(IDatagramPort.MaxDatagramsPerRead), "a full socket drains a whole batch per report");
            Assert.That(receiver.Received.Select(r => BitConverter.ToInt32(r.Data)), Is.EqualTo(Enumerable.Range(0, 100)));
        });
    }

    [Test]
    public void AnExceptionInDatagramReceivedIsLoggedAndThePortCarriesOn()
    {
        var receiver = new RecordingDatagramProtocol();
        receiver.OnDatagram = (data, _) =>
        {
            if (data[0] == 1) throw new InvalidOperationException("boom from the protocol");
        };
        var receiverPort = _reactor.ListenUdp(0, receiver, "127.0.0.1");
        var sender = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");
        sender.Write(new byte[] { 1 }, receiverPort.GetHost());
        sender.Write(new byte[] { 2 }, receiverPort.GetHost());
        IterateUntil(_reactor, () => receiver.Received.Count == 2, "both datagrams");
        Assert.Multiple(() =>
        {
            Assert.That(receiverPort.Listening, Is.True);
            Assert.That(_log.Entries.Any(e => e.Level == LogLevel.Error && e.Exception?.Message == "boom from the protocol"), Is.True);
        });
    }

    [Test]
    public void StopListeningFromDatagramReceivedStopsAfterTheCallback()
    {
        var receiver = new RecordingDatagramProtocol();
        var stopsSeenInsideCallback = -1;
        receiver.OnDatagram = (_, _) =>
        {
            receiver.Transport.StopListening();
            stopsSeenInsideCallback = receiver.Stops;
        };
        var receiverPort = _reactor.ListenUdp(0, receiver, "127.0.0.1");
        var sender = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "127.0.0.1");
        for (var i = 0; i < 5; i++) sender.Write(new byte[] { 9 }, receiverPort.GetHost());
        IterateUntil(_reactor, () => receiver.Stops == 1, "StopProtocol");
        Assert.Multiple(() =>
        {
            Assert.That(stopsSeenInsideCallback, Is.EqualTo(0), "StopProtocol never runs inside DatagramReceived");
            Assert.That(receiver.Received, Has.Count.EqualTo(1), "no datagram is delivered after StopListening");
        });
    }

    // Twisted: udp.py Port.setBroadcastAllowed (SO_BROADCAST); without it the kernel answers EACCES.
    [Test]
    public void SetBroadcastAllowedLetsThePortSendToABroadcastAddress()
    {
        var receiver = new RecordingDatagramProtocol();
        var receiverPort = _reactor.ListenUdp(0, receiver, "0.0.0.0");
        var sender = _reactor.ListenUdp(0, new RecordingDatagramProtocol(), "0.0.0.0");
        var broadcast = new IPEndPoint(IPAddress.Parse("127.255.255.255"), ((IPEndPoint)receiverPort.GetHost()).Port);

        Assert.That(sender.GetBroadcastAllowed(), Is.False);
        var refused = Assert.Throws<SocketException>(() => sender.Write("b"u8, broadcast));
        Assert.That(refused!.SocketErrorCode, Is.EqualTo(SocketError.AccessDenied));

        sender.SetBroadcastAllowed(true);
        Assert.That(sender.GetBroadcastAllowed(), Is.True);
        Assert.That(sender.Write("broadcast"u8, broadcast), Is.True);
        IterateUntil(_reactor, () => receiver.Received.Count == 1, "the broadcast datagram");
        Assert.That(receiver.Received[0].Data, Is.EqualTo("broadcast"u8.ToArray()));
    }
}
