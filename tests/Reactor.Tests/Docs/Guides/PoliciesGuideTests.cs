using System.Net;
using Reactor.Docs.Samples.Guides.Policies;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/policies.md: the wrapping factories around a plain protocol.</summary>
public class PoliciesGuideTests
{
    private sealed class Quiet : Protocol;

    private static readonly EndPoint Peer = StringTransport.DefaultPeer;

    private static StringTransport Connect(IProtocolFactory factory)
    {
        var transport = new StringTransport();
        factory.BuildProtocol(Peer)!.MakeConnection(transport);
        return transport;
    }

    [Test]
    public void TheThirdConnectionIsToldBusyAndIdleOnesAreClosed()
    {
        var clock = new Clock();
        var guarded = PolicySamples.Guard(Factory.For<Quiet>(), clock, maxConnections: 2, idle: TimeSpan.FromMinutes(1));
        var first = Connect(guarded);
        var second = Connect(guarded);
        var third = Connect(guarded);
        Assert.That(first.Written.Length + second.Written.Length, Is.Zero);
        Assert.That(third.ValueAsString(), Is.EqualTo("busy, try later\r\n"));
        Assert.That(third.Disconnecting, Is.True);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(first.Disconnecting && second.Disconnecting, Is.True, "silent for a minute");
    }

    [Test]
    public void ReadingOneAndAHalfTimesTheLimitPausesReadingForHalfASecond()
    {
        var clock = new Clock();
        var throttle = PolicySamples.Throttle(Factory.For<Quiet>(), clock, bytesPerSecond: 100);
        var protocol = throttle.BuildProtocol(Peer)!;
        var transport = new StringTransport();
        protocol.MakeConnection(transport);
        protocol.DataReceived(new byte[150]);
        clock.Advance(TimeSpan.FromSeconds(1)); // the once-a-second check notices the excess
        Assert.That(throttle.ReadsThrottled, Is.True);
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Paused));
        clock.Advance(TimeSpan.FromSeconds(0.5)); // 150 bytes at 100 per second: half a second too many
        Assert.That(throttle.ReadsThrottled, Is.False);
        Assert.That(transport.ProducerState, Is.EqualTo(ProducerState.Producing));
    }

    [Test]
    public void TheTrafficLogShowsWhatWasWritten()
    {
        var log = new StringWriter();
        var logged = PolicySamples.Log(Factory.ForProtocol(() => new Reactor.Docs.Samples.Guides.Policies.Busy()), log);
        Connect(logged);
        Assert.That(log.ToString(), Does.Contain("busy, try later"));
    }
}
