using Reactor.Core;
using Reactor.Docs.Samples.Guides.Time;
using Reactor.Tests.Core;
using Reactor.Time;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/time.md: the session timer and the countdown, on a Clock and on the real reactor.</summary>
public class TimeGuideTests
{
    [Test]
    public void ATouchedSessionLivesOnAndAnUntouchedOneExpires()
    {
        var clock = new Clock();
        var session = new Session(clock, TimeSpan.FromMinutes(5));
        clock.Advance(TimeSpan.FromMinutes(4));
        session.Touch();
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(session.Expired, Is.False, "the touch pushed the expiry back");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(session.Expired, Is.True);
    }

    [Test]
    public void AClosedSessionNeverExpires()
    {
        var clock = new Clock();
        var session = new Session(clock, TimeSpan.FromMinutes(5));
        session.Close();
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(session.Expired, Is.False);
    }

    [Test]
    public void TheCountdownSaysEachNumberOnceASecondThenStops()
    {
        var clock = new Clock();
        var countdown = new Countdown(clock, 3);
        var stopped = countdown.Start();
        Assert.That(countdown.Said, Is.EqualTo(new[] { 3 }), "now: true runs the first call at once");
        clock.Pump([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)]);
        Assert.That(countdown.Said, Is.EqualTo(new[] { 3, 2, 1, 0 }));
        Assert.That(stopped.Called, Is.True);
        Assert.That(clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void TheCountdownRunsOnTheRealReactorToo()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        var countdown = new Countdown(reactor, 1);
        reactor.CallWhenRunning(() => countdown.Start().AddCallback(_ => reactor.Stop()));
        reactor.CallLater(TimeSpan.FromSeconds(30), reactor.Stop); // bound: never hang the suite
        reactor.Run();
        Assert.That(countdown.Said, Is.EqualTo(new[] { 1, 0 }));
    }
}
