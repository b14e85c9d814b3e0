using Reactor.Native;
using Reactor.Selectors;

namespace Reactor.Tests.Selectors;

/// <summary>The backends the contract fixture runs against on this machine.</summary>
public static class SelectorBackends
{
    /// <summary>Every backend that can be created here.</summary>
    public static IEnumerable<SelectorKind> Available()
    {
        if (NativePlatform.IsLinux) yield return SelectorKind.Epoll;
        if (LibcSyscalls.Instance.IsKqueueAvailable) yield return SelectorKind.Kqueue;
        yield return SelectorKind.Poll;
    }

    /// <summary>A new selector of <paramref name="kind"/>.</summary>
    public static ISelector Create(SelectorKind kind) => kind switch
    {
        SelectorKind.Epoll => new EpollSelector(),
        SelectorKind.Poll => new PollSelector(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not built yet"),
    };
}
