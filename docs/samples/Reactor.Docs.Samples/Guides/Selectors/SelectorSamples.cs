using Reactor.Core;
using Reactor.Selectors;

namespace Reactor.Docs.Samples.Guides.Selectors;

/// <summary>The selectors guide's samples.</summary>
public static class SelectorSamples
{
    #region choose
    /// <summary>
    /// A reactor on the selector named by <paramref name="name"/> (epoll, kqueue, poll, select,
    /// io_uring) when it exists on this machine, else on the best one for the OS.
    /// </summary>
    public static ReactorLoop Create(string? name)
    {
        SelectorKind? kind = null;
        if (name is not null && SelectorFactory.TryParse(name, out var parsed) && SelectorFactory.IsAvailable(parsed))
        {
            kind = parsed;
        }
        // null: REACTOR_SELECTOR if set, else SelectorFactory.BestForPlatform.
        return ReactorLoop.Create(new ReactorOptions { Selector = kind });
    }
    #endregion

    #region report
    /// <summary>One line per backend: which exist here, and the reason io_uring does not when it does not.</summary>
    public static IEnumerable<string> Report()
    {
        yield return $"best for this OS: {SelectorFactory.NameOf(SelectorFactory.BestForPlatform)}";
        foreach (var kind in SelectorFactory.Available) yield return $"available: {SelectorFactory.NameOf(kind)}";
        if (SelectorFactory.IoUringUnavailableReason is { } why) yield return $"io_uring: {why}";
    }
    #endregion
}
