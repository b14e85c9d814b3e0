using Reactor.Core;
using Reactor.Protocols.Policies;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Time;
using static Reactor.Tests.Protocols.Policies.PolicyTestSupport;

namespace Reactor.Tests.Protocols.Policies;

// Modelled on twisted/test/test_policies.py ThrottlingTests (test_limit, test_writeLimit, test_readLimit),
// with time driven by a Clock instead of the global reactor.
public class ThrottlingFactoryTests
{
    private sealed class Push : IPushProducer
    {
        public int Pauses;
        public int Resumes;
        public void PauseProducing() => Pauses++;
        public void ResumeProducing() => Resumes++;
        public void StopProducing() { }
    }

    [Test]
    public void RefusesConnectionsPastTheCap()
    {
        var factory = new ThrottlingFactory(new RecordingFactory(), new Clock(), maxConnectionCount: 2);
        var (_, t1) = Connect(factory);
        Connect(factory);
        Assert.That(factory.BuildProtocol(Peer), Is.Null);
        t1.LoseConnection();
        Assert.That(factory.ConnectionCount, Is.EqualTo(1));
        Assert.That(factory.BuildProtocol(Peer), Is.Not.Null);
    }

    [Test]
    public void ReadingPastTheLimitPausesEveryTransportForTheExcess()
    {
        var clock = new Clock();
        var factory = new ThrottlingFactory(new RecordingFactory(), clock, readLimit: 10);
        var (p1, t1) = Connect(factory);
        var (_, t2) = Connect(factory);
        p1.DataReceived(new byte[25]);
        Assert.That(factory.ReadThisSecond, Is.EqualTo(25));
        clock.Advance(TimeSpan.FromSeconds(1));
        // 25 bytes against 10/s: paused for 25/10 - 1 = 1.5 s, on every connection.
        Assert.That(factory.ReadsThrottled, Is.True);
        Assert.That(t1.ProducerState, Is.EqualTo(ProducerState.Paused));
        Assert.That(t2.ProducerState, Is.EqualTo(ProducerState.Paused));
        Assert.That(factory.ReadThisSecond, Is.Zero);
        clock.Advance(TimeSpan.FromSeconds(1.4));
        Assert.That(t1.ProducerState, Is.EqualTo(ProducerState.Paused));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.That(t1.ProducerState, Is.EqualTo(ProducerState.Producing));
        Assert.That(t2.ProducerState, Is.EqualTo(ProducerState.Producing));
    }

    [Test]
    public void ReadingWithinTheLimitIsNotThrottled()
    {
        var clock = new Clock();
        var factory = new ThrottlingFactory(new RecordingFactory(), clock, readLimit: 10);
        var (p1, t1) = Connect(factory);
        p1.DataReceived(new byte[10]);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(t1.ProducerState, Is.EqualTo(ProducerState.Producing));
        Assert.That(factory.ReadsThrottled, Is.False);
    }

    [Test]
    public void WritingPastTheLimitPausesTheProducer()
    {
        var clock = new Clock();
        var inner = new RecordingFactory();
        var factory = new ThrottlingFactory(inner, clock, writeLimit: 100);
        Connect(factory);
        var wrapped = inner.Built.Single();
        var producer = new Push();
        wrapped.Transport.RegisterProducer(producer, streaming: true);
        wrapped.Transport.Write(new byte[300]);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(producer.Pauses, Is.EqualTo(1));
        Assert.That(factory.WritesThrottled, Is.True);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(producer.Resumes, Is.EqualTo(1));
    }

    [Test]
    public void LastConnectionLostStopsTheWindows()
    {
        var clock = new Clock();
        var factory = new ThrottlingFactory(new RecordingFactory(), clock, readLimit: 10, writeLimit: 10);
        var (_, t1) = Connect(factory);
        Assert.That(clock.GetDelayedCalls(), Has.Count.EqualTo(2));
        t1.LoseConnection();
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }
}
