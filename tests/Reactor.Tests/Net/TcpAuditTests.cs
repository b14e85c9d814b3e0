using System.Buffers;
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

/// <summary>
/// Behaviours named by the TCP issue that the other fixtures did not show on their own:
/// factory start/stop counting across several ports and a connector, listening on "::",
/// <see cref="IConnector.Disconnect"/> and <see cref="IConnector.GetDestination"/>, the
/// connector's bind address, <see cref="ITransport.WriteSequence"/> over a socket and
/// <see cref="IProducer.StopProducing"/> closing a TCP transport.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TcpAuditTests(SelectorKind kind)
{
    private CapturingLogger _logger = null!;
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = NetTesting.CreateReactor(kind, _logger);
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void AFactoryIsStartedOnceAndStoppedWhenItsLastPortAndConnectorAreDone()
    {
        // Twisted: test_tcp.py FactoryTests.test_serverStartStop / test_clientStartStop — doStart
        // and doStop are counted, so StartFactory runs on the first use and StopFactory on the last.
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        var first = _reactor.ListenTcp(0, factory, @interface: "127.0.0.1");
        var second = _reactor.ListenTcp(0, factory, @interface: "127.0.0.1");
        Assert.That((factory.StartFactoryCount, factory.NumPorts), Is.EqualTo((1, 2)));

        var connector = _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(first), factory);
        _reactor.RunUntil(() => factory.Events.Count(e => e == "BuildProtocol") == 2, "both ends of the connection built");
        Assert.That((factory.StartFactoryCount, factory.NumPorts), Is.EqualTo((1, 3)));

        first.StopListening();
        second.StopListening();
        Assert.That(factory.StopFactoryCount, Is.EqualTo(0), "the connector still uses the factory");
        Assert.That(factory.NumPorts, Is.EqualTo(1));

        connector.Disconnect();
        _reactor.RunUntil(() => factory.LostReason is not null, "the client connection to be lost");
        Assert.That((factory.StopFactoryCount, factory.NumPorts), Is.EqualTo((1, 0)));
        Assert.That(factory.StartFactoryCount, Is.EqualTo(1));
    }

    [Test]
    public void DisconnectWhileConnectedLosesTheConnectionCleanly()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        var factory = new RecordingClientFactory(() => client);
        var connector = _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), factory);
        _reactor.RunUntil(() => client.Connected, "the connection");

        connector.Disconnect();
        _reactor.RunUntil(() => client.IsLost, "the client to see the close");
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(factory.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(factory.FailedReason, Is.Null);
    }

    [Test]
    public void DisconnectWhileConnectingStopsTheAttemptWithUserError()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var factory = new RecordingClientFactory(() => new RecordingProtocol());
        var connector = _reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port, factory);
        connector.Disconnect();

        Assert.That(factory.FailedReason!.Value, Is.InstanceOf<UserError>());
        Assert.That(factory.Events, Is.EqualTo(new[] { "StartedConnecting", "ClientConnectionFailed" }));
        Assert.That(factory.StopFactoryCount, Is.EqualTo(1), "the stopped connector stops the factory");
    }

    [Test]
    public void GetDestinationIsTheAddressAskedForBeforeAndAfterConnecting()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var expected = new IPEndPoint(IPAddress.Loopback, NetTesting.PortOf(port));
        var client = new RecordingProtocol();
        var connector = _reactor.ConnectTcp("127.0.0.1", expected.Port, new RecordingClientFactory(() => client));
        Assert.That(connector.GetDestination(), Is.EqualTo(expected));
        _reactor.RunUntil(() => client.Connected, "the connection");
        Assert.That(connector.GetDestination(), Is.EqualTo(expected));
    }

    [Test]
    public void ListeningOnTheIPv6WildcardAcceptsOverIPv6Loopback()
    {
        if (!Socket.OSSupportsIPv6) Assert.Ignore("IPv6 is not available here.");
        IListeningPort port;
        try
        {
            port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "::");
        }
        catch (CannotListenError ex)
        {
            Assert.Ignore($":: cannot be bound here: {ex.Message}");
            return;
        }
        var host = (IPEndPoint)port.GetHost();
        Assert.That(host.Address, Is.EqualTo(IPAddress.IPv6Any));
        Assert.That(host.Port, Is.GreaterThan(0));

        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("any"u8) };
        _reactor.ConnectTcp("::1", host.Port, new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Received.Length == 3, "the echo through the wildcard port");
        Assert.That(client.Received.ToArray(), Is.EqualTo("any"u8.ToArray()));
    }

    [Test]
    public void TheBindAddressIsTheClientsLocalAddress()
    {
        // 127.0.0.2 is loopback on Linux (the whole 127/8 is); elsewhere it may not be configured.
        var bind = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0);
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            try { probe.Bind(bind); }
            catch (SocketException) { Assert.Ignore("127.0.0.2 cannot be bound here."); }
        }

        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client), bindAddress: bind);
        _reactor.RunUntil(() => client.Connected && server is { Connected: true }, "both sides connected");

        Assert.That(((IPEndPoint)client.Transport.GetHost()).Address, Is.EqualTo(bind.Address));
        Assert.That(((IPEndPoint)server!.Transport.GetPeer()).Address, Is.EqualTo(bind.Address));
    }

    [Test]
    public void WriteSequenceSendsEverySegmentInOrder()
    {
        var port = _reactor.ListenTcp(0, Factory.For<EchoProtocol>(), @interface: "127.0.0.1");
        var expected = "first-second-third"u8.ToArray();
        var sequence = Segments.Of("first-"u8.ToArray(), "second-"u8.ToArray(), "third"u8.ToArray());
        Assert.That(sequence.IsSingleSegment, Is.False);

        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.WriteSequence(sequence) };
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Received.Length == expected.Length, "the echo of every segment");
        Assert.That(client.Received.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void StopProducingClosesTheConnection()
    {
        // Twisted: ITransport is an IPushProducer whose stopProducing closes the connection.
        RecordingProtocol? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new RecordingProtocol()), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Connected && server is { Connected: true }, "both sides connected");

        server!.Transport.StopProducing();
        _reactor.RunUntil(() => client.IsLost && server.IsLost, "both sides to see the close");
        Assert.That(server.LostCount, Is.EqualTo(1));
        Assert.That(client.LostCount, Is.EqualTo(1));
    }

    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Of(params byte[][] parts)
        {
            var first = new Segments(parts[0], 0);
            var last = first;
            foreach (var part in parts.Skip(1))
            {
                var next = new Segments(part, last.RunningIndex + last.Memory.Length);
                last.Next = next;
                last = next;
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
