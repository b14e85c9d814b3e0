using Reactor.Docs.Samples.Guides.Selectors;
using Reactor.Selectors;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/selectors.md: choosing a backend by name, and the report of what exists here.</summary>
public class SelectorsGuideTests
{
    [Test]
    public void EachAvailableBackendCanBeChosenByName()
    {
        foreach (var kind in SelectorFactory.Available)
        {
            using var reactor = SelectorSamples.Create(SelectorFactory.NameOf(kind));
            var expected = kind == SelectorKind.IoUring && SelectorFactory.IoUringUnavailableReason is not null ? SelectorKind.Epoll : kind;
            Assert.That(reactor.SelectorKind, Is.EqualTo(expected), SelectorFactory.NameOf(kind));
        }
    }

    [Test]
    public void AnUnknownNameFallsBackToTheDefault()
    {
        using var reactor = SelectorSamples.Create("carrier-pigeon");
        Assert.That(reactor.SelectorKind, Is.EqualTo(SelectorFactory.Resolve()));
    }

    [Test]
    public void TheReportNamesTheBestBackendAndEveryAvailableOne()
    {
        var report = SelectorSamples.Report().ToList();
        Assert.That(report[0], Is.EqualTo($"best for this OS: {SelectorFactory.NameOf(SelectorFactory.BestForPlatform)}"));
        Assert.That(report.Count(line => line.StartsWith("available: ", StringComparison.Ordinal)), Is.EqualTo(SelectorFactory.Available.Count));
    }
}
