using Reactor.Selectors.Internal;

namespace Reactor.Tests.Selectors;

/// <summary>Wait timeouts as the system calls receive them.</summary>
public sealed class SelectorTimeoutTests
{
    [Test]
    public void NullMeansWaitForeverAndNonPositiveMeansPoll()
    {
        Assert.That(SelectorTimeout.ToMilliseconds(null), Is.EqualTo(-1));
        Assert.That(SelectorTimeout.ToMilliseconds(TimeSpan.Zero), Is.Zero);
        Assert.That(SelectorTimeout.ToMilliseconds(TimeSpan.FromSeconds(-3)), Is.Zero);
    }

    [Test]
    public void SubMillisecondTimeoutsRoundUpSoTheyDoNotSpin()
    {
        Assert.That(SelectorTimeout.ToMilliseconds(TimeSpan.FromTicks(1)), Is.EqualTo(1));
        Assert.That(SelectorTimeout.ToMilliseconds(TimeSpan.FromMilliseconds(2.3)), Is.EqualTo(3));
        Assert.That(SelectorTimeout.ToMilliseconds(TimeSpan.FromMilliseconds(5)), Is.EqualTo(5));
        Assert.That(SelectorTimeout.ToSecondsAndMicroseconds(TimeSpan.FromTicks(1)), Is.EqualTo((0L, 1L)));
    }

    [Test]
    public void HugeTimeoutsAreClampedToWhatTheKernelsAccept()
    {
        Assert.That(SelectorTimeout.ToMilliseconds(TimeSpan.MaxValue), Is.EqualTo(int.MaxValue));
        Assert.That(SelectorTimeout.ToSecondsAndMicroseconds(TimeSpan.MaxValue), Is.EqualTo((100_000_000L, 0L)));
        Assert.That(SelectorTimeout.ToSecondsAndNanoseconds(TimeSpan.MaxValue), Is.EqualTo((100_000_000L, 0L)));
        Assert.That(SelectorTimeout.ToSecondsAndNanoseconds(TimeSpan.FromMilliseconds(1500)), Is.EqualTo((1L, 500_000_000L)));
    }
}
