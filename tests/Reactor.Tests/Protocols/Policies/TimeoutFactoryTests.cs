using Reactor.Core;
using Reactor.Protocols.Policies;
using Reactor.Time;
using static Reactor.Tests.Protocols.Policies.PolicyTestSupport;

namespace Reactor.Tests.Protocols.Policies;

// Ports of twisted/test/test_policies.py TimeoutFactoryTests.
public class TimeoutFactoryTests
{
    private Clock _clock = null!;
    private RecordingFactory _inner = null!;
    private TimeoutFactory _factory = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new Clock();
        _inner = new RecordingFactory();
        _factory = new TimeoutFactory(_inner, _clock, TimeSpan.FromSeconds(3));
    }

    [Test]
    public void IdleConnectionIsClosedAfterThePeriod()
    {
        // test_timeout
        var (_, transport) = Connect(_factory);
        _clock.Pump([TimeSpan.Zero, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)]);
        Assert.That(transport.Disconnecting, Is.False);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.That(transport.Disconnecting, Is.True);
        Assert.That(_inner.Built.Single().LostReason, Is.Not.Null);
    }

    [Test]
    public void ReadsAndWritesResetTheTimeout()
    {
        // test_sendAvoidsTimeout / test_receiveAvoidsTimeout
        var (protocol, transport) = Connect(_factory);
        _clock.Advance(TimeSpan.FromSeconds(2));
        protocol.DataReceived("x"u8);
        _clock.Advance(TimeSpan.FromSeconds(2));
        _inner.Built.Single().Transport.Write("y"u8);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(transport.Disconnecting, Is.False);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(transport.Disconnecting, Is.True);
    }

    [Test]
    public void ConnectionLostCancelsTheTimeout()
    {
        var (_, transport) = Connect(_factory);
        transport.LoseConnection();
        Assert.That(_clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void TimeoutCanBeChangedAndCancelledPerConnection()
    {
        var (protocol, transport) = Connect(_factory);
        var timeoutProtocol = (TimeoutProtocol)protocol;
        timeoutProtocol.SetTimeout(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(transport.Disconnecting, Is.False);
        timeoutProtocol.CancelTimeout();
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That(transport.Disconnecting, Is.False);
        Assert.That(timeoutProtocol.TimeoutPeriod, Is.Null);
    }
}
