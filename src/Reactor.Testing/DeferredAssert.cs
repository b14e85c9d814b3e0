using Reactor.Defer;

namespace Reactor.Testing;

/// <summary>
/// Twisted trial's <c>successResultOf</c>, <c>failureResultOf</c> and <c>assertNoResult</c>: look at
/// a Deferred's current result without running the reactor, and fail the test (with trial's
/// messages) when it is not what the test expects. <c>using static Reactor.Testing.DeferredAssert;</c>
/// lets a test call them by their trial names.
/// </summary>
/// <remarks>
/// The helpers throw <see cref="DeferredAssertionException"/>, so they work under NUnit, xUnit and
/// MSTest alike. A Deferred "has a result" when <see cref="Deferred.HasResult"/> is true: it has fired,
/// is not paused and is not waiting on another Deferred. Unlike trial, <see cref="SuccessResultOf{T}"/>
/// leaves the result in the chain for later callbacks (trial replaces it with <c>None</c>).
/// Every failure a helper looks at counts as handled: it is never reported as an unhandled error
/// in a Deferred, since the helper either returned it to the test or failed the test with it.
/// </remarks>
public static class DeferredAssert
{
    /// <summary>
    /// Returns the success result of <paramref name="deferred"/>, which must already have one.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="deferred">The last Deferred of the chain under test.</param>
    /// <returns>The current result.</returns>
    /// <exception cref="DeferredAssertionException">
    /// The Deferred has no result yet ("Success result expected on …, found no result instead"), or
    /// its result is a failure ("…, found failure result instead:" and the traceback).
    /// </exception>
    public static T SuccessResultOf<T>(Deferred<T> deferred)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        if (!deferred.HasResult)
        {
            throw new DeferredAssertionException($"Success result expected on {deferred}, found no result instead");
        }
        var result = deferred.ChainResult;
        if (result is Failure failure)
        {
            deferred.ClearUnhandledOfChain();
            throw new DeferredAssertionException(
                $"Success result expected on {deferred}, found failure result instead:\n{failure.GetTraceback()}");
        }
        if (result is null) return default!;
        if (result is T typed) return typed;
        throw new DeferredAssertionException(
            $"Success result of type {typeof(T).FullName} expected on {deferred}, found a {result.GetType().FullName} instead: "
            + "a later callback changed the chain's type, so pass the Deferred that callback returned");
    }

    /// <summary>
    /// Returns the failure <paramref name="deferred"/> already holds; when
    /// <paramref name="expectedExceptionTypes"/> are given, its exception must be one of them.
    /// The failure counts as handled.
    /// </summary>
    /// <param name="deferred">The Deferred under test.</param>
    /// <param name="expectedExceptionTypes">Exception types the failure may carry (any failure when none are given).</param>
    /// <returns>The current failure.</returns>
    /// <exception cref="DeferredAssertionException">
    /// The Deferred has no result yet, has a success result ("…, found success result (…) instead"),
    /// or fails with another exception type ("Failure of type (…) expected on …, found type … instead:"
    /// and the traceback).
    /// </exception>
    public static Failure FailureResultOf(Deferred deferred, params Type[] expectedExceptionTypes)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        ArgumentNullException.ThrowIfNull(expectedExceptionTypes);
        if (!deferred.HasResult)
        {
            throw new DeferredAssertionException($"Failure result expected on {deferred}, found no result instead");
        }
        if (deferred.Owner.RawResult is not Failure failure)
        {
            throw new DeferredAssertionException(
                $"Failure result expected on {deferred}, found success result ({Describe(deferred.Owner.RawResult)}) instead");
        }
        deferred.ClearUnhandledOfChain();
        if (expectedExceptionTypes.Length > 0 && failure.Check(expectedExceptionTypes) is null)
        {
            var expected = string.Join(" or ", expectedExceptionTypes.Select(t => t.FullName));
            throw new DeferredAssertionException(
                $"Failure of type ({expected}) expected on {deferred}, found type {failure.Type.FullName} instead: {failure.GetTraceback()}");
        }
        return failure;
    }

    /// <summary>
    /// Asserts that <paramref name="deferred"/> has no result yet (it has not fired, or is paused or
    /// waiting on another Deferred). A failure found here counts as handled, since the assertion
    /// reports it.
    /// </summary>
    /// <param name="deferred">The Deferred under test.</param>
    /// <exception cref="DeferredAssertionException">The Deferred has a result ("No result expected on …, found … instead").</exception>
    public static void AssertNoResult(Deferred deferred)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        if (!deferred.HasResult) return;
        var result = deferred.Owner.RawResult;
        if (result is Failure) deferred.ClearUnhandledOfChain();
        throw new DeferredAssertionException($"No result expected on {deferred}, found {Describe(result)} instead");
    }

    private static string Describe(object? result) => result?.ToString() ?? "null";
}
