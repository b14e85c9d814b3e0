using Reactor.Defer;

namespace Reactor.Tests.Net.Resolution;

/// <summary>Twisted's successResultOf / failureResultOf / assertNoResult for these tests.</summary>
internal static class DeferredResults
{
    public static T SuccessResultOf<T>(Deferred<T> deferred)
    {
        var (got, result) = Take(deferred);
        Assert.That(got, Is.True, "the Deferred has no result yet");
        if (result is Failure failure) Assert.Fail("expected a result, got " + failure.GetTraceback());
        return (T)result!;
    }

    public static Failure FailureResultOf<T>(Deferred<T> deferred)
    {
        var (got, result) = Take(deferred);
        Assert.That(got, Is.True, "the Deferred has no result yet");
        Assert.That(result, Is.InstanceOf<Failure>(), "expected a failure, got " + result);
        return (Failure)result!;
    }

    public static void AssertNoResult<T>(Deferred<T> deferred) => Assert.That(deferred.Called, Is.False, "the Deferred already has a result");

    private static (bool, object?) Take<T>(Deferred<T> deferred)
    {
        var got = false;
        object? result = null;
        deferred.AddBoth<object?>(r =>
        {
            got = true;
            result = r;
            return null; // consumes a failure, so it is not reported as unhandled
        });
        return (got, result);
    }
}

/// <summary>A resolver whose answers the test gives by hand.</summary>
internal sealed class ScriptedResolver : Reactor.Net.Resolution.IHostnameResolver
{
    public List<(string Host, System.Net.Sockets.AddressFamily Family, Deferred<IReadOnlyList<System.Net.IPAddress>> Answer)> Queries { get; } = [];

    public int Cancellations { get; private set; }

    public Deferred<IReadOnlyList<System.Net.IPAddress>> ResolveHostName(string hostName, System.Net.Sockets.AddressFamily family = System.Net.Sockets.AddressFamily.Unspecified)
    {
        var answer = new Deferred<IReadOnlyList<System.Net.IPAddress>>(_ => Cancellations++);
        Queries.Add((hostName, family, answer));
        return answer;
    }
}
