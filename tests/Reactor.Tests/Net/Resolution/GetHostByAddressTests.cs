using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Tests.Core;
using static Reactor.Testing.DeferredAssert;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Resolution;

/// <summary>
/// Issue 19.11: ReactorLoop.GetHostByAddress, Python's socket.gethostbyaddr off the loop thread
/// (Twisted resolves in a thread the same way: test_base.py ThreadedResolverTests).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class GetHostByAddressTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void LoopbackHasANameAndTheAnswerArrivesOnTheReactorThread()
    {
        var loopThread = Environment.CurrentManagedThreadId;
        int? answeredOn = null;
        var lookup = _reactor.GetHostByAddress(IPAddress.Loopback);
        lookup.AddCallback(entry =>
        {
            answeredOn = Environment.CurrentManagedThreadId;
            return entry;
        });
        AssertNoResult(lookup); // never answered inside the call: the lookup runs on the thread pool
        _reactor.RunUntil(() => lookup.HasResult, "the reverse lookup");

        var entry = SuccessResultOf(lookup);
        // /etc/hosts names 127.0.0.1 on every system this runs on ("localhost" or the machine's name).
        Assert.That(entry.HostName, Is.Not.Empty);
        Assert.That(entry.HostName, Does.Not.Match(@"^\d+\.\d+\.\d+\.\d+$"), "a name, not the address again");
        Assert.That(answeredOn, Is.EqualTo(loopThread));
    }

    [Test]
    public void CancellingAbandonsTheLookupWithCancelledError()
    {
        using var source = new CancellationTokenSource();
        var lookup = _reactor.GetHostByAddress(IPAddress.Loopback, source.Token);
        source.Cancel();
        FailureResultOf(lookup, typeof(CancelledError));
        // The pool thread's late answer is dropped, not delivered twice.
        var next = _reactor.GetHostByAddress(IPAddress.Loopback);
        _reactor.RunUntil(() => next.HasResult, "a later lookup");
        Assert.That(SuccessResultOf(next).HostName, Is.Not.Empty);
    }

    [Test]
    public void BadArgumentsAreRefusedAtTheCall()
    {
        Assert.Throws<ArgumentNullException>(() => _reactor.GetHostByAddress(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _reactor.GetHostByAddress(IPAddress.Loopback, TimeSpan.Zero));
    }

    [Test]
    public void TheUnspecifiedAddressHasNoNameAndFailsWithDnsLookupError()
    {
        var lookup = _reactor.GetHostByAddress(IPAddress.Any);
        _reactor.RunUntil(() => lookup.HasResult, "the reverse lookup");
        Assert.That(FailureResultOf(lookup, typeof(DnsLookupError)).Value.Message, Does.StartWith("Address 0.0.0.0 has no name"));
    }
}
