using System.Runtime.CompilerServices;

namespace Reactor.Core.Internal;

/// <summary>The thread guard for code that holds a reactor as one of its interfaces (it cannot name the loop, which sits above it).</summary>
internal static class ReactorThreadGuard
{
    /// <summary>Throws if <paramref name="reactor"/> is a running reactor loop called from another thread; fakes and clocks pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(object? reactor, string member)
    {
        if (reactor is ILoopServices loop) loop.CheckReactorThread(member);
    }
}
