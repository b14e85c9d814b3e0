using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Reactor;

public sealed partial class ReactorLoop
{
    /// <summary>
    /// The single-thread rule, enforced: while the reactor runs, a reactor-thread-only member called
    /// from another thread throws instead of corrupting state (a transport's output buffer, the timer
    /// heap, the selector). Costs a field read and a thread-id read per call.
    /// </summary>
    /// <remarks>
    /// Only while <see cref="Run"/> loops: before it starts (set-up on the creating thread) and after it
    /// returns, any one thread may call. A stale read on another thread can only miss a violation,
    /// never report one on the reactor thread (which wrote both fields itself).
    /// </remarks>
    /// <exception cref="InvalidOperationException">Called from a thread other than the reactor's while it runs.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckReactorThread(string member)
    {
        if (_started && Environment.CurrentManagedThreadId != _threadId) ThrowNotReactorThread(member);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotReactorThread(string member) =>
        throw new InvalidOperationException(
            $"{member} must be called on the reactor thread, and this is another thread while the reactor runs. " +
            $"Hand the call to the reactor with CallFromThread: reactor.CallFromThread(() => ...).");
}
