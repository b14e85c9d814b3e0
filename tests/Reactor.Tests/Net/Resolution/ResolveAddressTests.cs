using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Resolution;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Net.Resolution;

/// <summary>Reactor.Resolve semantics (Twisted's reactor.resolve, base.py:773-783) over a scripted resolver and a Clock.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class ResolveAddressTests
{
    private readonly Clock _clock = new();
    private readonly ScriptedResolver _resolver = new();

    [Test]
    public void FiresWithTheResolversFirstAddress()
    {
        var d = _resolver.ResolveAddress("example.com", _clock);
        Assert.That(_resolver.Queries.Single().Host, Is.EqualTo("example.com"));
        AssertNoResult(d);
        _resolver.Queries[0].Answer.Callback([IPAddress.Parse("192.0.2.7"), IPAddress.Parse("2001:db8::7")]);
        Assert.That(SuccessResultOf(d), Is.EqualTo(IPAddress.Parse("192.0.2.7")));
        Assert.That(_clock.GetDelayedCalls(), Is.Empty, "the timeout is cancelled once answered");
    }

    [Test]
    public void AsksForTheRequestedFamily()
    {
        _resolver.ResolveAddress("example.com", _clock, family: AddressFamily.InterNetworkV6);
        Assert.That(_resolver.Queries.Single().Family, Is.EqualTo(AddressFamily.InterNetworkV6));
    }

    [TestCase("", "0.0.0.0")]
    [TestCase("10.1.2.3", "10.1.2.3")]
    [TestCase("::1", "::1")]
    public void EmptyNamesAndLiteralsAreAnsweredWithoutTheResolver(string name, string expected)
    {
        // Twisted: base.py resolve(): empty name -> "0.0.0.0", an IP literal is returned as is.
        Assert.That(SuccessResultOf(_resolver.ResolveAddress(name, _clock)), Is.EqualTo(IPAddress.Parse(expected)));
        Assert.That(_resolver.Queries, Is.Empty);
    }

    [Test]
    public void AResolverErrorBecomesADnsLookupErrorKeepingTheCause()
    {
        var d = _resolver.ResolveAddress("example.com", _clock);
        var cause = new SocketException((int)SocketError.HostNotFound);
        _resolver.Queries[0].Answer.Errback(cause);
        var failure = FailureResultOf(d);
        Assert.That(failure.Value, Is.TypeOf<DnsLookupError>());
        Assert.That(failure.Value.InnerException, Is.SameAs(cause));
        Assert.That(failure.Value.Message, Does.Contain("example.com"));
    }

    [Test]
    public void ADnsLookupErrorFromTheResolverPassesThrough()
    {
        var d = _resolver.ResolveAddress("example.com", _clock);
        var error = new DnsLookupError("nope");
        _resolver.Queries[0].Answer.Errback(error);
        Assert.That(FailureResultOf(d).Value, Is.SameAs(error));
    }

    [Test]
    public void AnEmptyAnswerIsADnsLookupError()
    {
        var d = _resolver.ResolveAddress("example.com", _clock);
        _resolver.Queries[0].Answer.Callback([]);
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<DnsLookupError>().With.Message.Contains("no addresses"));
    }

    [Test]
    public void TimingOutFailsWithDnsLookupErrorAndCancelsTheLookup()
    {
        var d = _resolver.ResolveAddress("slow.example", _clock, TimeSpan.FromSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        AssertNoResult(d);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<DnsLookupError>().With.Message.Contains("no answer within 5 s"));
        Assert.That(_resolver.Cancellations, Is.EqualTo(1));
    }

    [Test]
    public void TheDefaultTimeoutIsSixtySeconds()
    {
        var d = _resolver.ResolveAddress("slow.example", _clock);
        _clock.Advance(TimeSpan.FromSeconds(59.9));
        AssertNoResult(d);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<DnsLookupError>());
    }

    [Test]
    public void CancellingAbandonsTheLookupAndTheTimer()
    {
        var d = _resolver.ResolveAddress("example.com", _clock);
        d.Cancel();
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<CancelledError>());
        Assert.That(_resolver.Cancellations, Is.EqualTo(1));
        Assert.That(_clock.GetDelayedCalls(), Is.Empty);
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => _resolver.ResolveAddress(null!, _clock), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("name"));
            Assert.That(() => _resolver.ResolveAddress("a", _clock, TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("timeout"));
            Assert.That(() => _resolver.ResolveAddress("a", _clock, family: AddressFamily.Unix), Throws.ArgumentException.With.Property("ParamName").EqualTo("family"));
        });
    }
}
