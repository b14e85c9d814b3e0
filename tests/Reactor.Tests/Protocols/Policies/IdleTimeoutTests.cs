using Reactor.Core;
using Reactor.Protocols.Policies;
using Reactor.Time;

namespace Reactor.Tests.Protocols.Policies;

// Ports of twisted/test/test_policies.py TimeoutMixinTests.
public class IdleTimeoutTests
{
    private Clock _clock = null!;
    private int _timedOut;
    private IdleTimeout _timeout = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new Clock();
        _timedOut = 0;
        _timeout = new IdleTimeout(_clock, () => _timedOut++);
    }

    [TearDown]
    public void TearDown() => _timeout.Dispose();

    [Test]
    public void FiresAfterThePeriod()
    {
        // test_timeout
        _timeout.SetTimeout(TimeSpan.FromSeconds(3));
        _clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.That(_timedOut, Is.Zero);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.That(_timedOut, Is.EqualTo(1));
        Assert.That(_timeout.Pending, Is.False);
    }

    [Test]
    public void ResetPostponesTheTimeout()
    {
        // test_resetTimeout
        _timeout.SetTimeout(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(0.9));
        _timeout.ResetTimeout();
        _clock.Advance(TimeSpan.FromSeconds(0.9));
        Assert.That(_timedOut, Is.Zero);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.That(_timedOut, Is.EqualTo(1));
        // After firing, resetting does nothing until SetTimeout again.
        _timeout.ResetTimeout();
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.That(_timedOut, Is.EqualTo(1));
    }

    [Test]
    public void NullCancelsAndSetTimeoutReturnsThePreviousPeriod()
    {
        // test_noTimeout, test_cancelTimeout and test_return
        Assert.That(_timeout.SetTimeout(TimeSpan.FromSeconds(5)), Is.Null);
        Assert.That(_timeout.SetTimeout(TimeSpan.FromSeconds(10)), Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(_timeout.SetTimeout(null), Is.EqualTo(TimeSpan.FromSeconds(10)));
        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That(_timedOut, Is.Zero);
        Assert.That(_clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void ChangingThePeriodRestartsTheCountdown()
    {
        _timeout.SetTimeout(TimeSpan.FromSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(4));
        _timeout.SetTimeout(TimeSpan.FromSeconds(2));
        _clock.Advance(TimeSpan.FromSeconds(1.5));
        Assert.That(_timedOut, Is.Zero);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.That(_timedOut, Is.EqualTo(1));
    }

    [Test]
    public void DisposeCancels()
    {
        _timeout.SetTimeout(TimeSpan.FromSeconds(1));
        _timeout.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.That(_timedOut, Is.Zero);
        Assert.That(_timeout.Period, Is.Null);
    }

    [Test]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _timeout.SetTimeout(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentNullException>(() => new IdleTimeout(null!, () => { }));
    }
}
