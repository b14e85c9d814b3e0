using System.Net.Sockets;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Resolution;
using Reactor.Tests.Core.Threading;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Net.Resolution;

/// <summary>The OS resolver: answers arrive through CallFromThread, never on the calling thread directly.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class SystemHostnameResolverTests
{
    private readonly PumpedReactor _reactor = new();

    [Test]
    public void LocalhostResolvesOnTheReactorThread()
    {
        var resolver = new SystemHostnameResolver(_reactor);
        var d = resolver.ResolveHostName("localhost", AddressFamily.InterNetwork);
        AssertNoResult(d);
        _reactor.PumpUntil(() => d.Called);
        Assert.That(_reactor.Delivered, Is.EqualTo(1));
        Assert.That(SuccessResultOf(d), Does.Contain(IPAddress.Loopback));
    }

    [Test]
    public void LiteralsAnswerAtOnceFilteredByFamily()
    {
        var resolver = new SystemHostnameResolver(_reactor);
        Assert.That(SuccessResultOf(resolver.ResolveHostName("::1")), Is.EqualTo(new[] { IPAddress.IPv6Loopback }));
        Assert.That(SuccessResultOf(resolver.ResolveHostName("::1", AddressFamily.InterNetwork)), Is.Empty);
    }

    [Test]
    public void AnUnknownNameFailsWithDnsLookupError()
    {
        // RFC 6761: .invalid never resolves.
        var resolver = new SystemHostnameResolver(_reactor);
        var d = resolver.ResolveHostName("no-such-host.invalid");
        _reactor.PumpUntil(() => d.Called);
        var failure = FailureResultOf(d);
        Assert.That(failure.Value, Is.TypeOf<DnsLookupError>().With.Message.Contains("no-such-host.invalid"));
        Assert.That(failure.Value.InnerException, Is.InstanceOf<SocketException>());
    }

    [Test]
    public void ALateAnswerToACancelledLookupIsDropped()
    {
        var resolver = new SystemHostnameResolver(_reactor);
        var d = resolver.ResolveHostName("localhost");
        d.Cancel();
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<CancelledError>());
        // The lookup still reports back (cancelled or not); delivering it must not fire d twice.
        _reactor.PumpUntil(() => _reactor.Delivered == 1);
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        var resolver = new SystemHostnameResolver(_reactor);
        Assert.That(() => resolver.ResolveHostName(""), Throws.ArgumentException.With.Property("ParamName").EqualTo("hostName"));
        Assert.That(() => resolver.ResolveHostName("x", AddressFamily.Unix), Throws.ArgumentException.With.Property("ParamName").EqualTo("family"));
        Assert.That(() => new SystemHostnameResolver(null!), Throws.ArgumentNullException);
    }
}
