using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints;
using Reactor.Testing;
using Reactor.Tests.Net.Resolution;
using Reactor.Time;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>
/// HostnameEndpoint's Happy Eyeballs (RFC 8305) driven deterministically: a scripted resolver, a Clock,
/// and a MemoryReactorClock on that clock, whose connection attempts end only when the test says so. Twisted's HostnameEndpointsOneIPv4Tests /
/// HostnameEndpointMemoryIPv4V6Tests cover the resolver-order version of the same race.
/// </summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class HappyEyeballsTests
{
    private static readonly TimeSpan Stagger = HostnameEndpoint.DefaultAttemptDelay;
    private readonly Clock _clock = new();
    private readonly ScriptedResolver _resolver = new();
    private readonly MemoryReactorClock _reactor;
    private readonly CountingFactory _factory = new(() => new RecordingProtocol());

    public HappyEyeballsTests() => _reactor = new MemoryReactorClock(_clock);

    private HostnameEndpoint Endpoint(string host = "example.com", TimeSpan? attemptDelay = null, IPEndPoint? bind = null) =>
        new(_reactor, host, 443, TimeSpan.FromSeconds(5), bind, attemptDelay, _clock, _resolver);

    private Deferred<IReadOnlyList<IPAddress>> Lookup(AddressFamily family) => _resolver.Queries.Single(q => q.Family == family).Answer;

    private static IPAddress[] Ips(params string[] text) => [.. text.Select(IPAddress.Parse)];

    private string[] AttemptedHosts => [.. _reactor.TcpClients.Select(c => c.Host)];

    [Test]
    public void LooksUpAaaaAndATogether()
    {
        Endpoint().Connect(_factory);
        Assert.That(_resolver.Queries.Select(q => (q.Host, q.Family)),
            Is.EquivalentTo(new[] { ("example.com", AddressFamily.InterNetworkV6), ("example.com", AddressFamily.InterNetwork) }));
    }

    [Test]
    public void InterleavesFamiliesIPv6FirstAndStaggersAttempts()
    {
        Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1", "192.0.2.2"));
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1", "2001:db8::2", "2001:db8::3"));
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "2001:db8::1" }), "the first attempt starts at once, on IPv6");

        // One new attempt exactly every stagger delay: none a millisecond before, one on the dot.
        for (int started = 2; started <= 5; started++)
        {
            _clock.Advance(Stagger - TimeSpan.FromMilliseconds(1));
            Assert.That(_reactor.TcpClients, Has.Count.EqualTo(started - 1), $"nothing new before {Stagger * (started - 1)}");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.That(_reactor.TcpClients, Has.Count.EqualTo(started), $"attempt {started} at {Stagger * (started - 1)}");
        }
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "2001:db8::1", "192.0.2.1", "2001:db8::2", "192.0.2.2", "2001:db8::3" }));
        Assert.That(_reactor.TcpClients.All(c => c.Port == 443 && c.Timeout == TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void TheFirstToConnectWinsAndTheOthersAreStopped()
    {
        var d = Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1", "192.0.2.2"));
        _clock.Advance(Stagger);
        _clock.Advance(Stagger);
        Assert.That(_reactor.Connectors, Has.Count.EqualTo(3));

        _reactor.Connectors[1].Succeed(); // 192.0.2.1 wins
        var protocol = SuccessResultOf(d);
        Assert.Multiple(() =>
        {
            Assert.That(protocol, Is.SameAs(_factory.Built.Single()), "only the winner reaches the user's factory");
            Assert.That(((RecordingProtocol)protocol).Made, Is.EqualTo(1));
            Assert.That(_reactor.Connectors[0].StoppedConnecting, Is.True);
            Assert.That(_reactor.Connectors[2].StoppedConnecting, Is.True);
            Assert.That(_clock.GetDelayedCalls(), Is.Empty, "no attempt is left scheduled");
        });
    }

    [Test]
    public void ALoserThatConnectsAnywayIsClosedWithoutReachingTheFactory()
    {
        var d = Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        _clock.Advance(Stagger);
        // Both connections complete in the same reactor iteration: the second is refused.
        var winner = _reactor.Connectors[0];
        var late = _reactor.Connectors[1];
        winner.Succeed();
        Assert.That(late.StoppedConnecting, Is.True, "the loser was told to stop");
        Assert.That(SuccessResultOf(d), Is.Not.Null);
        Assert.That(_factory.Built, Has.Count.EqualTo(1));
    }

    [Test]
    public void AFailedAttemptStartsTheNextAtOnce()
    {
        Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        _reactor.Connectors[0].Fail(new ConnectionRefusedError());
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "2001:db8::1", "192.0.2.1" }), "no stagger wait after a failure: the clock has not moved");
    }

    [Test]
    public void WhenEveryAttemptFailsTheLastReasonIsReported()
    {
        // Twisted: HostnameEndpointsOneIPv4Tests.test_allConnectionsFailed reports the last failure.
        var d = Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        _reactor.Connectors[0].Fail(new ConnectionRefusedError());
        AssertNoResult(d);
        var last = new TimeoutError();
        _reactor.Connectors[1].Fail(last);
        Assert.That(FailureResultOf(d).Value, Is.SameAs(last));
        Assert.That(_factory.Starts, Is.EqualTo(_factory.Stops), "every attempt stopped the factory it started");
    }

    [Test]
    public void AnAAnswerWaitsTheResolutionDelayForAaaa()
    {
        Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        Assert.That(_reactor.Connectors, Is.Empty, "RFC 8305 §3: wait for AAAA a little");
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "2001:db8::1" }), "AAAA arrived within the delay: IPv6 goes first");
    }

    [Test]
    public void AnAAnswerStartsAloneAfterTheResolutionDelay()
    {
        Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        _clock.Advance(HostnameEndpoint.ResolutionDelay);
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "192.0.2.1" }));
        // A late AAAA answer joins the race at the next stagger slot.
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Assert.That(_reactor.Connectors, Has.Count.EqualTo(1));
        _clock.Advance(Stagger);
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "192.0.2.1", "2001:db8::1" }));
    }

    [Test]
    public void NoAddressesIsADnsLookupError()
    {
        // Twisted: HostnameEndpointsOneIPv4Tests.test_nameResolution / DNSLookupError when nothing resolves.
        var d = Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback([]);
        AssertNoResult(d);
        Lookup(AddressFamily.InterNetwork).Errback(new SocketException((int)SocketError.HostNotFound));
        var failure = FailureResultOf(d);
        Assert.That(failure.Value, Is.TypeOf<DnsLookupError>());
        Assert.That(_reactor.Connectors, Is.Empty);
    }

    [Test]
    public void OneFamilyFailingToResolveStillUsesTheOther()
    {
        var d = Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Errback(new DnsLookupError("no AAAA"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "192.0.2.1" }));
        _reactor.Connectors[0].Succeed();
        Assert.That(SuccessResultOf(d), Is.Not.Null);
    }

    [Test]
    public void AnIPLiteralIsNotResolved()
    {
        var d = Endpoint("::1").Connect(_factory);
        Assert.That(_resolver.Queries, Is.Empty);
        Assert.That(AttemptedHosts, Is.EqualTo(new[] { "::1" }));
        _reactor.Connectors[0].Succeed();
        Assert.That(SuccessResultOf(d), Is.Not.Null);
    }

    [Test]
    public void ABindAddressLimitsTheLookupToItsFamily()
    {
        Endpoint(bind: new IPEndPoint(IPAddress.Loopback, 0)).Connect(_factory);
        Assert.That(_resolver.Queries.Single().Family, Is.EqualTo(AddressFamily.InterNetwork));
    }

    [Test]
    public void TheAttemptDelayIsSettable()
    {
        Endpoint(attemptDelay: TimeSpan.FromSeconds(2)).Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1"));
        _clock.Advance(TimeSpan.FromSeconds(1.999));
        Assert.That(_reactor.Connectors, Has.Count.EqualTo(1));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(_reactor.Connectors, Has.Count.EqualTo(2));
    }

    [Test]
    public void CancellingDuringResolutionCancelsTheLookups()
    {
        var d = Endpoint().Connect(_factory);
        d.Cancel();
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<CancelledError>());
        Assert.That(_resolver.Cancellations, Is.EqualTo(2));
    }

    [Test]
    public void CancellingDuringTheRaceStopsEveryAttempt()
    {
        // Twisted: HostnameEndpointsOneIPv4Tests.test_endpointConnectingCancelled.
        var d = Endpoint().Connect(_factory);
        Lookup(AddressFamily.InterNetworkV6).Callback(Ips("2001:db8::1"));
        Lookup(AddressFamily.InterNetwork).Callback(Ips("192.0.2.1", "192.0.2.2"));
        _clock.Advance(Stagger);
        d.Cancel();
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<CancelledError>());
        Assert.That(_reactor.Connectors.All(c => c.StoppedConnecting), Is.True);
        Assert.That(_clock.GetDelayedCalls(), Is.Empty);
        _clock.Advance(Stagger * 4);
        Assert.That(_reactor.Connectors, Has.Count.EqualTo(2), "no attempt starts after a cancel");
    }

    [Test]
    public void ConstructorRejectsBadArgumentsByName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new HostnameEndpoint(_reactor, "", 1, clock: _clock, resolver: _resolver), Throws.ArgumentException.With.Property("ParamName").EqualTo("host"));
            Assert.That(() => new HostnameEndpoint(_reactor, "h", 0, clock: _clock, resolver: _resolver), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("port"));
            Assert.That(() => new HostnameEndpoint(_reactor, "h", 1, attemptDelay: TimeSpan.FromSeconds(-1), clock: _clock, resolver: _resolver),
                Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("attemptDelay"));
            using (var real = ReactorLoop.Create())
            {
                Assert.That(new HostnameEndpoint(real, "h", 1).Resolver, Is.SameAs(real.NameResolver), "the reactor's pluggable resolver by default");
            }
            Assert.That(() => new HostnameEndpoint(new TcpOnlyReactor(), "h", 1, clock: _clock), Throws.ArgumentException.With.Property("ParamName").EqualTo("resolver"),
                "a reactor that is neither pluggable nor able to CallFromThread needs an explicit resolver");
            Assert.That(() => new HostnameEndpoint(new TcpOnlyReactor(), "h", 1, resolver: _resolver), Throws.ArgumentException.With.Property("ParamName").EqualTo("clock"),
                "a reactor that is not an IReactorTime needs an explicit clock");
        });
    }
}
