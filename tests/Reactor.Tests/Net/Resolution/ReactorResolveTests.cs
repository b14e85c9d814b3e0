using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Resolution;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Resolution;

/// <summary>ReactorLoop.Resolve and its pluggable resolver on a real loop.</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class ReactorResolveTests(SelectorKind kind) : IDisposable
{
    private readonly ReactorLoop _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });

    public void Dispose() => _reactor.Dispose();

    private object? RunUntilFired(Func<Deferred<IPAddress>> start)
    {
        object? outcome = null;
        int callbackThread = 0;
        _reactor.CallWhenRunning(() => start().AddBoth<object?>(r =>
        {
            outcome = r;
            callbackThread = Environment.CurrentManagedThreadId;
            _reactor.Stop();
            return null;
        }));
        var guard = _reactor.CallLater(TimeSpan.FromSeconds(20), _reactor.Stop);
        _reactor.Run();
        Assert.That(guard.Active, Is.True, "the deadline guard had to stop the reactor");
        guard.Cancel();
        Assert.That(callbackThread, Is.EqualTo(Environment.CurrentManagedThreadId), "the answer arrives on the reactor thread");
        return outcome;
    }

    [Test]
    public void ResolvesLocalhostWithTheSystemResolver()
    {
        Assert.That(_reactor.NameResolver, Is.TypeOf<SystemHostnameResolver>());
        var outcome = RunUntilFired(() => _reactor.Resolve("localhost"));
        Assert.That(outcome, Is.InstanceOf<IPAddress>().And.Matches<IPAddress>(IPAddress.IsLoopback));
    }

    [Test]
    public void AnUnknownNameFailsWithDnsLookupError()
    {
        var outcome = RunUntilFired(() => _reactor.Resolve("no-such-host.invalid"));
        Assert.That(outcome, Is.InstanceOf<Failure>());
        Assert.That(((Failure)outcome!).Value, Is.TypeOf<DnsLookupError>());
    }

    [Test]
    public void AnInstalledResolverIsUsedAndTheOldOneReturned()
    {
        var scripted = new ScriptedResolver();
        var previous = _reactor.InstallNameResolver(scripted);
        Assert.That(previous, Is.TypeOf<SystemHostnameResolver>());
        Assert.That(_reactor.NameResolver, Is.SameAs(scripted));
        var outcome = RunUntilFired(() =>
        {
            var d = _reactor.Resolve("db.internal");
            scripted.Queries.Single().Answer.Callback([IPAddress.Parse("10.9.8.7")]);
            return d;
        });
        Assert.That(outcome, Is.EqualTo(IPAddress.Parse("10.9.8.7")));
    }

    [Test]
    public void ATimeoutOnTheReactorClockFailsWithDnsLookupError()
    {
        _reactor.InstallNameResolver(new ScriptedResolver());
        var outcome = RunUntilFired(() => _reactor.Resolve("never.answers", TimeSpan.FromMilliseconds(50)));
        Assert.That(((Failure)outcome!).Value, Is.TypeOf<DnsLookupError>().With.Message.Contains("no answer within"));
    }
}
