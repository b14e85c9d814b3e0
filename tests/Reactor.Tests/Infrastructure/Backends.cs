using Reactor.Selectors;

namespace Reactor.Tests.Infrastructure;

/// <summary>
/// The one list of selector backends every backend-parameterised fixture runs on
/// (<c>[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]</c>).
/// </summary>
public static class Backends
{
    /// <summary>Every backend that can be created here (kqueue only with a native kqueue or REACTOR_KQUEUE_LIBRARY).</summary>
    public static IEnumerable<SelectorKind> Available() => SelectorFactory.Available;

    /// <summary>A new selector of <paramref name="kind"/>.</summary>
    public static ISelector Create(SelectorKind kind) => SelectorFactory.Create(kind);
}
