using System.Net;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Testing;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>tcp: and tcp6: description strings (Twisted's ServerStringTests / ClientStringTests / ParserTests in test_endpoints.py).</summary>
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
public class TcpEndpointStringTests
{
    private readonly MemoryReactor _reactor = new();

    [Test]
    public void TcpServerWithEveryKey()
    {
        // Twisted: ServerStringTests.test_tcp ("tcp:1234:backlog=12:interface=10.0.0.1").
        var e = (Tcp4ServerEndpoint)EndpointStrings.ServerFromString(_reactor, "tcp:8080:interface=127.0.0.1:backlog=50");
        Assert.That((e.Port, e.Interface, e.Backlog), Is.EqualTo((8080, IPAddress.Loopback, 50)));
    }

    [Test]
    public void TcpServerDefaultsToEveryIPv4InterfaceAndTheReactorBacklog()
    {
        // Twisted: ParserTests.test_simpleTCP (interface "", backlog 50); our backlog default is IReactorTcp.DefaultBacklog (1024).
        var e = (Tcp4ServerEndpoint)EndpointStrings.ServerFromString(_reactor, "tcp:80");
        Assert.That((e.Port, e.Interface, e.Backlog), Is.EqualTo((80, IPAddress.Any, IReactorTcpDefaults.Backlog)));
    }

    [TestCase("tcp:port=80")]
    [TestCase("TCP:80")]
    [TestCase("tcp:80:interface=")]
    public void TcpServerAlternativeSpellings(string description)
    {
        var e = (Tcp4ServerEndpoint)EndpointStrings.ServerFromString(_reactor, description);
        Assert.That((e.Port, e.Interface), Is.EqualTo((80, IPAddress.Any)));
    }

    [Test]
    public void Tcp6ServerWithAnEscapedInterface()
    {
        // Twisted (verified, twisted.md §1.11): "tcp6:8080:interface=\:\:1" -> TCP6ServerEndpoint(interface='::1').
        var e = (Tcp6ServerEndpoint)EndpointStrings.ServerFromString(_reactor, "tcp6:8080:interface=\\:\\:1:backlog=7");
        Assert.That((e.Port, e.Interface, e.Backlog), Is.EqualTo((8080, IPAddress.IPv6Loopback, 7)));
    }

    [Test]
    public void Tcp6ServerDefaultsToEveryIPv6Interface()
    {
        var e = (Tcp6ServerEndpoint)EndpointStrings.ServerFromString(_reactor, "tcp6:0");
        Assert.That((e.Port, e.Interface), Is.EqualTo((0, IPAddress.IPv6Any)));
    }

    [Test]
    public void TcpClientWithEveryKey()
    {
        // Twisted: ClientStringTests.test_tcp.
        var e = (Tcp4ClientEndpoint)EndpointStrings.ClientFromString(_reactor, "tcp:host=example.com:port=1234:timeout=7:bindAddress=10.0.0.2");
        Assert.Multiple(() =>
        {
            Assert.That(e.Host, Is.EqualTo("example.com"));
            Assert.That(e.Port, Is.EqualTo(1234));
            Assert.That(e.Timeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(e.BindAddress, Is.EqualTo(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 0)));
        });
    }

    // Twisted: ClientStringTests.test_tcpPositionalArgs, test_tcpHostPositionalArg, test_tcpPortPositionalArg.
    [TestCase("tcp:example.com:1234:timeout=7:bindAddress=10.0.0.2")]
    [TestCase("tcp:example.com:port=1234:timeout=7:bindAddress=10.0.0.2")]
    [TestCase("tcp:host=example.com:1234:timeout=7:bindAddress=10.0.0.2")]
    [TestCase("tcp:port=1234:example.com:timeout=7:bindAddress=10.0.0.2")]
    public void TcpClientPositionalForms(string description)
    {
        var e = (Tcp4ClientEndpoint)EndpointStrings.ClientFromString(_reactor, description);
        Assert.That((e.Host, e.Port, e.Timeout), Is.EqualTo(("example.com", 1234, TimeSpan.FromSeconds(7))));
    }

    [Test]
    public void TcpClientDefaults()
    {
        // Twisted: ClientStringTests.test_tcpDefaults (timeout 30, no bind address).
        var e = (Tcp4ClientEndpoint)EndpointStrings.ClientFromString(_reactor, "tcp:host=example.com:port=1234");
        Assert.That(e.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(e.BindAddress, Is.Null);
    }

    [Test]
    public void TcpClientTimeoutMayHaveDecimals()
    {
        var e = (Tcp4ClientEndpoint)EndpointStrings.ClientFromString(_reactor, "tcp:h:1:timeout=0.25");
        Assert.That(e.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
    }

    [Test]
    public void TcpClientIPv6BindAddress()
    {
        var e = (Tcp4ClientEndpoint)EndpointStrings.ClientFromString(_reactor, "tcp:host=\\:\\:1:port=9:bindAddress=\\:\\:1");
        Assert.That(e.Host, Is.EqualTo("::1"));
        Assert.That(e.BindAddress, Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 0)));
    }

    [Test]
    public void TheEndpointUsesTheGivenReactor()
    {
        EndpointStrings.ServerFromString(_reactor, "tcp:0:interface=127.0.0.1:backlog=5").Listen(new CountingFactory(() => null));
        Assert.That(_reactor.TcpServers.Single() is (0, _, 5, "127.0.0.1"), Is.True);
    }

    [Test]
    public void AReactorWithoutTlsIsAnArgumentErrorNamingTheInterface()
    {
        // The reactor is typed (IReactorTcp / IReactorUnix): passing anything else no longer compiles.
        // An endpoint type needing one more interface still says which.
        var tcpOnly = new TcpOnlyReactor();
        Assert.That(() => EndpointStrings.ServerFromString(tcpOnly, "ssl:443"),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("reactor").And.Message.Contains("IReactorSsl"));
        Assert.That(() => EndpointStrings.ClientFromString(tcpOnly, "unix:/s"),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("reactor").And.Message.Contains("IReactorUnix"));
    }

    [Test]
    public void NullArgumentsAreRejected()
    {
        Assert.That(() => EndpointStrings.ServerFromString((IReactorTcp)null!, "tcp:80"), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("reactor"));
        Assert.That(() => EndpointStrings.ServerFromString(_reactor, null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("description"));
    }
}

/// <summary>The reactor's default backlog, named for readable assertions.</summary>
internal static class IReactorTcpDefaults
{
    public const int Backlog = Reactor.Net.IReactorTcp.DefaultBacklog;
}
