using Reactor.Defer;

namespace Reactor.Tests.Defer;

/// <summary>Twisted trial's successResultOf / failureResultOf / assertNoResult, for Deferreds.</summary>
internal static class DeferredAssert
{
    /// <summary>The result of a Deferred that must have succeeded already.</summary>
    public static T SuccessResultOf<T>(Deferred<T> d)
    {
        Assert.That(d.HasResult, Is.True, $"{d} has no result");
        var raw = d.ChainResult;
        if (raw is Failure f) Assert.Fail($"{d} failed: {f.GetTraceback()}");
        return raw is null ? default! : (T)raw;
    }

    /// <summary>The failure of a Deferred that must have failed already with one of <paramref name="types"/>; it counts as handled.</summary>
    public static Failure FailureResultOf(Deferred d, params Type[] types)
    {
        Assert.That(d.HasResult, Is.True, $"{d} has no result");
        if (d.Owner.RawResult is not Failure f)
        {
            Assert.Fail($"{d} succeeded, a failure was expected");
            return null!;
        }
        if (types.Length > 0 && f.Check(types) is null) Assert.Fail($"unexpected failure {f.GetTraceback()}");
        d.ClearUnhandledOfChain();
        return f;
    }

    /// <summary>Asserts that the Deferred has not produced a result yet.</summary>
    public static void AssertNoResult(Deferred d) => Assert.That(d.HasResult, Is.False, $"{d} has a result");
}

/// <summary>A test error, like Twisted's GenericError.</summary>
public sealed class GenericError(string message = "generic") : Exception(message);
