using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using Reactor.Testing;
using static Reactor.Testing.DeferredAssert;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>What the TCP endpoints do with the reactor (Twisted's TCP4EndpointsTests / WrappingFactoryTests, over a MemoryReactor).</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class TcpEndpointTests
{
    private readonly MemoryReactor _reactor = new();

    [Test]
    public void ListenFiresWithThePort()
    {
        var factory = new CountingFactory(() => null);
        var port = SuccessResultOf(new Tcp6ServerEndpoint(_reactor, 0, 9, IPAddress.IPv6Loopback).Listen(factory));
        Assert.That(port.GetHost(), Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 0)));
        Assert.That(_reactor.TcpServers.Single() is (0, var f, 9, "::1") && f == factory, Is.True);
    }

    [Test]
    public void AListenErrorFailsTheDeferredInsteadOfThrowing()
    {
        var error = new CannotListenError("0.0.0.0:80", null);
        _reactor.ListenError = error;
        var d = new Tcp4ServerEndpoint(_reactor, 80).Listen(new CountingFactory(() => null));
        Assert.That(FailureResultOf(d).Value, Is.SameAs(error));
    }

    [Test]
    public void ConnectFiresWithTheProtocolAfterConnectionMade()
    {
        var protocol = new RecordingProtocol();
        var factory = new CountingFactory(() => protocol);
        var d = new Tcp4ClientEndpoint(_reactor, "127.0.0.1", 8080, TimeSpan.FromSeconds(3), new IPEndPoint(IPAddress.Loopback, 0)).Connect(factory);
        var connector = _reactor.Connectors.Single();
        var call = _reactor.TcpClients.Single();
        Assert.Multiple(() =>
        {
            Assert.That((call.Host, call.Port, call.Timeout), Is.EqualTo(("127.0.0.1", 8080, (TimeSpan?)TimeSpan.FromSeconds(3))));
            Assert.That(call.BindAddress, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 0)));
            Assert.That(factory.Starts, Is.EqualTo(1), "the user's factory is started with the attempt");
        });
        AssertNoResult(d);
        var made = -1;
        var seen = d.AddCallback(p =>
        {
            made = ((RecordingProtocol)p).Made;
            return p;
        });
        connector.Succeed();
        Assert.That(SuccessResultOf(seen), Is.SameAs(protocol), "the user's protocol, not the wrapper");
        Assert.That(made, Is.EqualTo(1), "ConnectionMade ran before the Deferred fired");
        Assert.That(protocol.Transport, Is.SameAs(connector.Transport));
    }

    [Test]
    public void DataAndConnectionLostReachTheUsersProtocolThroughTheWrapper()
    {
        var protocol = new HalfCloseRecordingProtocol();
        new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => protocol));
        var wrapper = _reactor.Connectors[0].Succeed()!;
        Assert.That(wrapper, Is.InstanceOf<IHalfCloseableProtocol>(), "a half-closeable protocol stays half-closeable behind the wrapper");
        ((IHalfCloseableProtocol)wrapper).ReadConnectionLost();
        wrapper.ConnectionLost(new Failure(new ConnectionDone()));
        Assert.That(protocol.ReadLost, Is.EqualTo(1));
        Assert.That(protocol.Lost!.Value, Is.TypeOf<ConnectionDone>());
    }

    [Test]
    public void APlainProtocolIsNotMadeHalfCloseableByTheWrapper()
    {
        new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => new RecordingProtocol()));
        Assert.That(_reactor.Connectors[0].Succeed(), Is.Not.InstanceOf<IHalfCloseableProtocol>());
    }

    [Test]
    public void AFailedAttemptFailsTheDeferredWithItsReason()
    {
        var d = new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => new RecordingProtocol()));
        var refused = new ConnectionRefusedError();
        _reactor.Connectors[0].Fail(refused);
        Assert.That(FailureResultOf(d).Value, Is.SameAs(refused));
    }

    [Test]
    public void CancellingStopsTheAttempt()
    {
        // Twisted: WrappingFactoryTests / TCP4EndpointsTests.test_connectionCancellation -> ConnectingCancelledError.
        var factory = new CountingFactory(() => new RecordingProtocol());
        var d = new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(factory);
        d.Cancel();
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<CancelledError>().With.Message.Contains("10.0.0.1:1"));
        Assert.That(_reactor.Connectors[0].StoppedConnecting, Is.True);
        Assert.That(factory.Stops, Is.EqualTo(1), "the factory is stopped with the attempt");
    }

    [Test]
    public void AFactoryThatBuildsNothingFailsTheConnect()
    {
        // Twisted: test_endpoints WrappingFactoryTests.test_buildNoneProtocol (NoProtocol).
        var d = new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => null));
        Assert.That(_reactor.Connectors[0].Succeed(), Is.Null);
        Assert.That(((StringTransport)_reactor.Connectors[0].Transport!).Disconnecting, Is.True);
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<ConnectError>().With.Message.Contains("built no protocol"));
    }

    [Test]
    public void AFactoryThatThrowsFailsTheConnectWithItsException()
    {
        // Twisted: WrappingFactoryTests.test_buildProtocolFailure.
        var boom = new InvalidCastException("nope");
        var d = new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => throw boom));
        _reactor.Connectors[0].Succeed();
        Assert.That(FailureResultOf(d).Value, Is.SameAs(boom));
    }

    [Test]
    public void AConnectionMadeThatThrowsFailsTheConnectAndStillThrowsToTheTransport()
    {
        var d = new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).Connect(new CountingFactory(() => new ThrowingOnConnect()));
        Assert.That(() => _reactor.Connectors[0].Succeed(), Throws.TypeOf<FormatException>());
        Assert.That(FailureResultOf(d).Value, Is.TypeOf<FormatException>());
    }

    [Test]
    public void ConnectProtocolConnectsTheGivenInstance()
    {
        // Twisted: test_endpoints.ConnectProtocolTests.test_connectProtocolCreatesFactory.
        var protocol = new RecordingProtocol();
        var d = new Tcp4ClientEndpoint(_reactor, "10.0.0.1", 1).ConnectProtocol(protocol);
        _reactor.Connectors[0].Succeed();
        Assert.That(SuccessResultOf(d), Is.SameAs(protocol));
        Assert.That(protocol.Made, Is.EqualTo(1));
    }

    [Test]
    public void ConstructorsRejectBadArgumentsByName()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new Tcp4ServerEndpoint(_reactor, 70000), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("port"));
            Assert.That(() => new Tcp4ServerEndpoint(_reactor, 1, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("backlog"));
            Assert.That(() => new Tcp4ServerEndpoint(_reactor, 1, 1, IPAddress.IPv6Loopback), Throws.ArgumentException.With.Property("ParamName").EqualTo("interface"));
            Assert.That(() => new Tcp6ServerEndpoint(_reactor, 1, 1, IPAddress.Loopback), Throws.ArgumentException.With.Property("ParamName").EqualTo("interface"));
            Assert.That(() => new Tcp4ClientEndpoint(_reactor, "", 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("host"));
            Assert.That(() => new Tcp4ClientEndpoint(_reactor, "h", 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("port"));
            Assert.That(() => new Tcp4ClientEndpoint(_reactor, "h", 1, TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("timeout"));
        });
    }

    private sealed class ThrowingOnConnect : Protocol
    {
        public override void ConnectionMade() => throw new FormatException("bad greeting");
    }
}
