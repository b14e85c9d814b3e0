using Reactor.Selectors;

namespace Reactor.Tests.Selectors;

/// <summary>The backends the contract fixture runs against on this machine.</summary>
public static class SelectorBackends
{
    /// <summary>Every backend that can be created here (kqueue only with a native kqueue or REACTOR_KQUEUE_LIBRARY).</summary>
    public static IEnumerable<SelectorKind> Available() => SelectorFactory.Available;

    /// <summary>A new selector of <paramref name="kind"/>.</summary>
    public static ISelector Create(SelectorKind kind) => SelectorFactory.Create(kind);
}
