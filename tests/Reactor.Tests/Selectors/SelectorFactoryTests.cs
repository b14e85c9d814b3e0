using Reactor.Native;
using Reactor.Selectors;

namespace Reactor.Tests.Selectors;

/// <summary>Backend choice: the OS default, REACTOR_SELECTOR, explicit kinds, and what is available.</summary>
[NonParallelizable] // changes a process-wide environment variable
public sealed class SelectorFactoryTests
{
    private string? _saved;

    [SetUp]
    public void SaveEnvironment() => _saved = Environment.GetEnvironmentVariable(SelectorFactory.EnvironmentVariable);

    [TearDown]
    public void RestoreEnvironment() => Environment.SetEnvironmentVariable(SelectorFactory.EnvironmentVariable, _saved);

    [Test]
    public void TheBestBackendForThisOsComesFirstAmongTheAvailableOnes()
    {
        SelectorKind expected = NativePlatform.IsLinux ? SelectorKind.Epoll
            : NativePlatform.IsMacOS || NativePlatform.IsFreeBsd ? SelectorKind.Kqueue
            : NativePlatform.IsWindows ? SelectorKind.Select
            : SelectorKind.Poll;
        Assert.That(SelectorFactory.BestForPlatform, Is.EqualTo(expected));
        if (!NativePlatform.IsWindows) Assert.That(SelectorFactory.Available[0], Is.EqualTo(expected));
    }

    [Test]
    public void PollAndSelectAreAvailableOnEveryPosixSystem()
    {
        if (NativePlatform.IsWindows) Assert.Ignore("POSIX only");
        Assert.That(SelectorFactory.Available, Does.Contain(SelectorKind.Poll).And.Contain(SelectorKind.Select));
        Assert.That(SelectorFactory.Available, Is.Unique);
        Assert.That(SelectorFactory.Available.Contains(SelectorKind.Epoll), Is.EqualTo(NativePlatform.IsLinux));
    }

    [Test]
    public void WithoutAnEnvironmentVariableCreateUsesTheBestBackend()
    {
        Environment.SetEnvironmentVariable(SelectorFactory.EnvironmentVariable, null);
        using ISelector selector = SelectorFactory.Create();
        Assert.That(selector.Kind, Is.EqualTo(SelectorFactory.BestForPlatform));
    }

    [TestCase("poll", SelectorKind.Poll)]
    [TestCase("SELECT", SelectorKind.Select)]
    [TestCase(" Poll ", SelectorKind.Poll)]
    public void TheEnvironmentVariableForcesABackend(string value, SelectorKind expected)
    {
        Environment.SetEnvironmentVariable(SelectorFactory.EnvironmentVariable, value);
        using ISelector selector = SelectorFactory.Create();
        Assert.That(selector.Kind, Is.EqualTo(expected));
    }

    [Test]
    public void AnExplicitKindWinsOverTheEnvironmentVariable()
    {
        Environment.SetEnvironmentVariable(SelectorFactory.EnvironmentVariable, "select");
        using ISelector selector = SelectorFactory.Create(SelectorKind.Poll);
        Assert.That(selector.Kind, Is.EqualTo(SelectorKind.Poll));
    }

    [Test]
    public void AnUnknownEnvironmentValueListsTheValidOnes()
    {
        Environment.SetEnvironmentVariable(SelectorFactory.EnvironmentVariable, "iocp");
        var error = Assert.Throws<ArgumentException>(() => SelectorFactory.Create())!;
        Assert.That(error.Message, Does.Contain("iocp").And.Contain("epoll, kqueue, poll, select"));
    }

    [TestCase("epoll", SelectorKind.Epoll)]
    [TestCase("KQueue", SelectorKind.Kqueue)]
    public void ParseIsCaseInsensitive(string name, SelectorKind expected) =>
        Assert.That(SelectorFactory.Parse(name), Is.EqualTo(expected));

    [TestCase("")]
    [TestCase("1")]
    [TestCase("devpoll")]
    public void ParseRejectsAnythingElseNamingTheArgument(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => SelectorFactory.Parse(name))!;
        Assert.That(error.ParamName, Is.EqualTo("name"));
        Assert.That(error.Message, Does.Contain("epoll, kqueue, poll, select"));
        Assert.That(SelectorFactory.TryParse(name, out _), Is.False);
    }

    [Test]
    public void NameOfIsWhatTheEnvironmentVariableAccepts()
    {
        foreach (SelectorKind kind in Enum.GetValues<SelectorKind>())
            Assert.That(SelectorFactory.Parse(SelectorFactory.NameOf(kind)), Is.EqualTo(kind));
    }

    [Test]
    public void AnUnavailableKqueueSaysHowToProvideOne()
    {
        if (SelectorFactory.IsAvailable(SelectorKind.Kqueue)) Assert.Ignore("kqueue is available here");
        var error = Assert.Throws<PlatformNotSupportedException>(() => SelectorFactory.Create(SelectorKind.Kqueue))!;
        Assert.That(error.Message, Does.Contain(KqueueLibrary.EnvironmentVariable));
    }
}
