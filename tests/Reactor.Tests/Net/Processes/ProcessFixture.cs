using Reactor;
using Reactor.Selectors;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net.Processes;

/// <summary>
/// The set-up every process test shares: Linux only, a fresh reactor with a capturing logger per
/// test, on the backend the derived fixture was given (null: the platform's default).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class ProcessFixture(SelectorKind? kind = null)
{
    /// <summary>What the reactor logged during the test.</summary>
    internal CapturingLogger Logger { get; private set; } = null!;

    /// <summary>The test's reactor, disposed after it.</summary>
    protected ReactorLoop Loop { get; private set; } = null!;

    [SetUp]
    public void CreateReactor()
    {
        ProcessTesting.RequireLinux();
        Logger = new CapturingLogger();
        Loop = ProcessTesting.CreateReactor(Logger, kind);
    }

    [TearDown]
    public void DisposeReactor() => Loop?.Dispose();
}
