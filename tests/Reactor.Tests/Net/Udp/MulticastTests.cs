using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Udp;
using Reactor.Net;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Udp;

/// <summary>
/// IPv4 multicast on the loopback interface with multicast loop on: the sender picks lo with
/// SetOutgoingInterface(127.0.0.1), the receiver joins on 127.0.0.1. (IPv6 multicast has no route
/// on lo in this sandbox; see docs/design/udpunix.md.)
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class MulticastTests(SelectorKind kind)
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = CreateReactor(out _, kind);

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    // A group per test run, so parallel runs on one machine do not hear each other.
    private static IPAddress FreshGroup() => IPAddress.Parse($"239.255.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}");

    private IUdpPort Sender()
    {
        var sender = _reactor.ListenMulticast(0, new RecordingDatagramProtocol(), "127.0.0.1");
        sender.SetOutgoingInterface(Loopback);
        sender.SetLoopbackMode(true);
        sender.SetTtl(1);
        return sender;
    }

    // Twisted: test_udp.py MulticastTests.test_multicast / test_loopback / test_ttl / test_interface.
    [Test]
    public void AMemberReceivesWhatIsSentToTheGroupAndNothingAfterLeaving()
    {
        var group = FreshGroup();
        var member = new RecordingDatagramProtocol();
        var memberPort = _reactor.ListenMulticast(0, member, "0.0.0.0");
        Wait(_reactor, memberPort.JoinGroup(group, Loopback), "JoinGroup");

        var sender = Sender();
        Assert.Multiple(() =>
        {
            Assert.That(sender.GetTtl(), Is.EqualTo(1));
            Assert.That(sender.GetLoopbackMode(), Is.True);
        });
        var port = ((IPEndPoint)memberPort.GetHost()).Port;
        Assert.That(sender.Write("to the group"u8, new IPEndPoint(group, port)), Is.True);
        IterateUntil(_reactor, () => member.Received.Count == 1, "the multicast datagram");
        Assert.That(member.Received[0].Data, Is.EqualTo("to the group"u8.ToArray()));

        // After leaving, a group datagram is no longer delivered; a unicast one sent after it
        // (loopback keeps order) proves the first had its chance.
        Wait(_reactor, memberPort.LeaveGroup(group, Loopback), "LeaveGroup");
        sender.Write("after leaving"u8, new IPEndPoint(group, port));
        sender.Write("unicast"u8, new IPEndPoint(Loopback, port));
        IterateUntil(_reactor, () => member.Received.Count >= 2, "the unicast datagram");
        Assert.That(member.Received.Select(r => System.Text.Encoding.ASCII.GetString(r.Data)), Is.EqualTo(new[] { "to the group", "unicast" }));
    }

    // Twisted: test_udp.py MulticastTests.test_multiListen — listenMultiple lets two ports share the group port.
    [Test]
    public void ListenMultipleLetsTwoPortsHearTheSameGroupPort()
    {
        var group = FreshGroup();
        var first = new RecordingDatagramProtocol();
        var firstPort = _reactor.ListenMulticast(0, first, "0.0.0.0", listenMultiple: true);
        var port = ((IPEndPoint)firstPort.GetHost()).Port;
        var second = new RecordingDatagramProtocol();
        var secondPort = _reactor.ListenMulticast(port, second, "0.0.0.0", listenMultiple: true);
        Wait(_reactor, firstPort.JoinGroup(group, Loopback), "first JoinGroup");
        Wait(_reactor, secondPort.JoinGroup(group, Loopback), "second JoinGroup");

        Sender().Write("both"u8, new IPEndPoint(group, port));
        IterateUntil(_reactor, () => first.Received.Count == 1 && second.Received.Count == 1, "the datagram on both ports");
    }

    // Twisted: test_udp.py MulticastTests.test_joinFailure — MulticastJoinError through the Deferred,
    // for a group that is not multicast and for an interface the kernel refuses.
    [Test]
    public void AFailedJoinFailsTheDeferredWithMulticastJoinError()
    {
        var port = _reactor.ListenMulticast(0, new RecordingDatagramProtocol(), "0.0.0.0");
        var notMulticast = Assert.Throws<MulticastJoinError>(() => Wait(_reactor, port.JoinGroup(IPAddress.Loopback), "JoinGroup(127.0.0.1)"));
        Assert.That(notMulticast!.InnerException, Is.InstanceOf<ArgumentException>().With.Message.Contains("multicast"));
        // 192.0.2.123 (TEST-NET-1) is no local interface's address.
        var refused = Assert.Throws<MulticastJoinError>(() => Wait(_reactor, port.JoinGroup(FreshGroup(), IPAddress.Parse("192.0.2.123")), "JoinGroup"));
        Assert.That(refused!.InnerException, Is.InstanceOf<SocketException>());
    }

    // Twisted: test_udp.py MulticastTests.testTTL and test_interface.
    [Test]
    public void TtlAndOutgoingInterfaceReadBackWhatWasSet()
    {
        var port = _reactor.ListenMulticast(0, new RecordingDatagramProtocol(), "0.0.0.0");
        Assert.Multiple(() =>
        {
            Assert.That(port.GetTtl(), Is.EqualTo(1), "the default TTL keeps multicast on the local network");
            Assert.That(port.GetOutgoingInterface(), Is.EqualTo(IPAddress.Any));
        });
        port.SetTtl(2);
        port.SetOutgoingInterface(Loopback);
        Assert.Multiple(() =>
        {
            Assert.That(port.GetTtl(), Is.EqualTo(2));
            Assert.That(port.GetOutgoingInterface(), Is.EqualTo(Loopback));
            Assert.That(() => port.SetTtl(256), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void IPv6PortsJoinAndLeaveGroupsOnLoopback()
    {
        var port = _reactor.ListenMulticast(0, new RecordingDatagramProtocol(), "::");
        var group = IPAddress.Parse("ff12::7e57");
        Wait(_reactor, port.JoinGroup(group, interfaceIndex: 1), "JoinGroup on lo");
        Wait(_reactor, port.LeaveGroup(group, interfaceIndex: 1), "LeaveGroup on lo");
        port.SetTtl(3);
        port.SetLoopbackMode(false);
        Assert.Multiple(() =>
        {
            Assert.That(port.GetTtl(), Is.EqualTo(3));
            Assert.That(port.GetLoopbackMode(), Is.False);
            Assert.That(port.AddressFamily, Is.EqualTo(AddressFamily.InterNetworkV6));
        });
    }
}
