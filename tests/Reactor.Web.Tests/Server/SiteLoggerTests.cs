using Reactor.Core;
using Reactor.Defer;
using Reactor.Time;
using Reactor.Web.Server;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Server;

/// <summary>Where a site without a logger of its own reports handler failures (issue 18: the owning reactor's logger, never one lent process-wide).</summary>
public sealed class SiteLoggerTests
{
    [Test]
    public void ASiteOnAReactorLogsToThatReactorsLogger()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new ErrorCountingLogger(), InstallSignalHandlers = false });
        var site = new Site(new Resource(), reactor);
        Assert.That(site.Logger, Is.SameAs(reactor.Logger));
    }

    [Test]
    public void ASiteOnATestClockLogsToTheProcessWideDefault()
    {
        var site = new Site(new Resource(), new Clock());
        Assert.That(site.Logger, Is.SameAs(Deferred.Logger));
    }
}
