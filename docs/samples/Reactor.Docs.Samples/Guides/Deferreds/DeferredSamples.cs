using Reactor.Defer;
using Reactor.Time;

namespace Reactor.Docs.Samples.Guides.Deferreds;

/// <summary>The Deferreds guide's samples: a chain, an async method, cancellation, a timeout.</summary>
public static class DeferredSamples
{
    #region sleep
    /// <summary>
    /// A Deferred that fires with null after <paramref name="delay"/>. Its canceller cancels the
    /// timer, so cancelling the Deferred frees what it holds; the Deferred then fails with
    /// <see cref="CancelledError"/>.
    /// </summary>
    public static Deferred<object?> Sleep(IReactorTime clock, TimeSpan delay)
    {
        IDelayedCall? timer = null;
        var sleeping = new Deferred<object?>(canceller: _ => timer!.Cancel());
        timer = clock.CallLater(delay, () => sleeping.Callback(null));
        return sleeping;
    }
    #endregion

    #region chain
    /// <summary>Parses a number that arrives later; a bad one becomes -1 through the errback.</summary>
    public static Deferred<int> ParseLater(IReactorTime clock, string text)
    {
        return Sleep(clock, TimeSpan.FromSeconds(1))
            .AddCallback(_ => int.Parse(text))       // a callback's return value is the next one's input
            .AddCallback(number => number * 2)       // an exception thrown here goes to the next errback
            .AddErrback(failure =>
            {
                failure.Trap(typeof(FormatException)); // anything else keeps failing down the chain
                return -1;                              // recovered: the chain carries on with a result
            });
    }
    #endregion

    #region await
    /// <summary>Two steps written as one async method; the caller gets a Deferred.</summary>
    public static Deferred<string> Greet(IReactorTime clock, string name) => Deferred.EnsureDeferred(async () =>
    {
        await Sleep(clock, TimeSpan.FromSeconds(1));
        var doubled = await ParseLater(clock, name.Length.ToString());
        return $"hello {name} ({doubled})";
    });
    #endregion

    #region timeout
    /// <summary>Fails with <see cref="Reactor.Errors.TimeoutError"/> if the work takes more than a second.</summary>
    public static Deferred<object?> SleepAtMostOneSecond(IReactorTime clock, TimeSpan delay) =>
        Sleep(clock, delay).AddTimeout(TimeSpan.FromSeconds(1), clock);
    #endregion

    #region token
    /// <summary>A .NET caller's CancellationToken cancels the Deferred (and so its timer).</summary>
    public static Deferred<object?> SleepUnlessCancelled(IReactorTime clock, TimeSpan delay, CancellationToken cancellationToken) =>
        Sleep(clock, delay).WithCancellation(cancellationToken);
    #endregion

    #region gather
    /// <summary>Waits for every sleep; the results come back in the order given.</summary>
    public static Deferred<IReadOnlyList<int>> CountDown(IReactorTime clock) =>
        Deferred.GatherResults(new[] { 3, 1, 2 }.Select(seconds =>
            Sleep(clock, TimeSpan.FromSeconds(seconds)).AddCallback(_ => seconds)));
    #endregion
}
