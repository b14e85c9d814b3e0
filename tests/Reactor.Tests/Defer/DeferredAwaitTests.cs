using Reactor.Defer;

namespace Reactor.Tests.Defer;

/// <summary>Awaiting Deferreds and converting to and from tasks.</summary>
public class DeferredAwaitTests
{
    [Test]
    public async Task AwaitingAFiredDeferredReturnsItsResult()
    {
        Assert.That(await Deferred.Succeed(7), Is.EqualTo(7));
    }

    [Test]
    public void AwaitingAFailedDeferredThrowsTheOriginalException()
    {
        async Task<int> Run() => await Deferred.Fail<int>(new KeyNotFoundException("k"));
        Assert.That(async () => await Run(), Throws.TypeOf<KeyNotFoundException>().With.Message.EqualTo("k"));
    }

    // twisted: test_defer.DeferredTests.test_awaitDeferred-style: awaiting resumes when the Deferred fires
    [Test]
    public void AwaitResumesWhenTheDeferredFires()
    {
        var d = new Deferred<string>();
        var result = Deferred.EnsureDeferred(async () => (await d) + "!");
        Assert.That(result.Called, Is.False);
        d.Callback("hi");
        string? seen = null;
        result.AddCallback(r => seen = r);
        Assert.That(seen, Is.EqualTo("hi!"));
    }
}
