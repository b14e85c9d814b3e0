using Reactor.Defer.Internal;
using Reactor.Time;

namespace Reactor.Defer;

/// <summary>Deferred-returning helpers over any <see cref="IReactorTime"/> (Twisted's <c>task.deferLater</c>).</summary>
public static class ReactorTimeExtensions
{
    /// <summary>A Deferred that fires with null after <paramref name="delay"/>. Cancelling it cancels the timer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static Deferred<object?> DeferLater(this IReactorTime clock, TimeSpan delay) =>
        DeferLater<object?>(clock, delay, static () => null);

    /// <summary>
    /// A Deferred that fires with <paramref name="function"/>'s result after <paramref name="delay"/>, or
    /// fails with its exception. Cancelling it before then cancels the timer and errbacks with
    /// <see cref="CancelledError"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static Deferred<T> DeferLater<T>(this IReactorTime clock, TimeSpan delay, Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var timer = Schedule(clock, delay);
        return timer.Deferred.AddCallback(_ => function());
    }

    /// <summary>A Deferred that waits <paramref name="delay"/>, then waits on the Deferred <paramref name="function"/> returns.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static Deferred<T> DeferLater<T>(this IReactorTime clock, TimeSpan delay, Func<Deferred<T>?> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var timer = Schedule(clock, delay);
        return timer.Deferred.AddCallback(_ => function());
    }

    /// <summary>A Deferred that runs <paramref name="action"/> after <paramref name="delay"/> and fires with null, or fails with its exception.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static Deferred<object?> DeferLater(this IReactorTime clock, TimeSpan delay, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var timer = Schedule(clock, delay);
        return timer.Deferred.AddCallback(_ => action());
    }

    private static DeferredTimer Schedule(IReactorTime clock, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new DeferredTimer(clock, delay);
    }
}
