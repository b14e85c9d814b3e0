using System.Net;
using Reactor.Core;
using Reactor.Docs.Samples.Guides.Udp;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/udp.md: the echo, the connected client, a refused client and multicast on loopback.</summary>
public class UdpGuideTests
{
    private static ReactorLoop CreateReactor() =>
        ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });

    [Test]
    public void TheConnectedClientGetsItsEcho()
    {
        using var reactor = CreateReactor();
        string? answer = null;
        UdpSamples.EchoOnce(reactor, reply => answer = reply);
        reactor.RunUntil(() => answer is not null, "the echo");
        Assert.That(answer, Is.EqualTo("ping"));
    }

    [Test]
    public void AClientOfAClosedPortHearsConnectionRefused()
    {
        using var reactor = CreateReactor();
        var closed = reactor.ListenUdp(0, new Echo(), "127.0.0.1");
        var address = (IPEndPoint)closed.GetHost();
        var stopped = false;
        closed.StopListening().AddCallback(_ => stopped = true); // the socket closes on the next iteration
        reactor.RunUntil(() => stopped, "the probe port to close");
        string? answer = null;
        reactor.ListenUdp(0, new Ask(address, "anyone?", reply => answer = reply), "127.0.0.1");
        reactor.RunUntil(() => answer is not null, "ICMP port unreachable");
        Assert.That(answer, Is.EqualTo("refused: nobody listens there"));
    }

    [Test]
    public void AGroupMemberHearsWhatIsSentToTheGroup()
    {
        using var reactor = CreateReactor();
        var group = IPAddress.Parse($"239.255.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}"); // not shared with parallel runs
        string? heard = null;
        UdpSamples.Multicast(reactor, group, text => heard = text);
        reactor.RunUntil(() => heard is not null, "the group datagram");
        Assert.That(heard, Is.EqualTo("to everyone"));
    }
}
