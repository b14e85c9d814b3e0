using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Reactor.Hosting;
using Reactor;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using static Reactor.Tests.Hosting.HostingTestKit;

namespace Reactor.Tests.Hosting;

/// <summary>
/// Systemd socket activation with sockets the test makes: LISTEN_FDS / LISTEN_PID / LISTEN_FDNAMES
/// interpreted, and the passed sockets served as configured listeners. (The hosted Echo example
/// test runs the real thing: descriptor 3 in a child process.)
/// </summary>
[TestFixture]
[NonParallelizable]
public class SystemdActivationTests
{
    private static readonly int Me = Environment.ProcessId;

    [Test]
    public void SocketsArePassedFromDescriptorThreeWithTheirNames()
    {
        var sockets = SystemdSockets.Parse("3", Me.ToString(), "web:admin", Me);
        Assert.That(sockets.Descriptors, Is.EqualTo(new[] { 3, 4, 5 }));
        Assert.That(sockets.Names, Is.EqualTo(new[] { "web", "admin", "unknown" }));
        Assert.That(sockets.ByName("admin"), Is.EqualTo(4));
        Assert.That(sockets.ByIndex(2), Is.EqualTo(5));
        Assert.That(() => sockets.ByIndex(3), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("passed 3 socket(s)"));
        Assert.That(() => sockets.ByName("db"), Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("web, admin, unknown"));
    }

    [Test]
    public void SocketsMeantForAnotherProcessAreIgnored()
    {
        Assert.That(SystemdSockets.Parse("2", (Me + 1).ToString(), null, Me).Descriptors, Is.Empty);
        Assert.That(SystemdSockets.Parse(null, null, null, Me).Descriptors, Is.Empty);
        Assert.That(() => SystemdSockets.Parse("two", Me.ToString(), null, Me), Throws.InstanceOf<FormatException>().With.Message.Contains("LISTEN_FDS"));
    }

    [TestCase("systemd:domain=INET", "give exactly one of index= and name=")]
    [TestCase("systemd:index=0", "domain= is required")]
    [TestCase("systemd:domain=IPX:index=0", "domain must be INET, INET6 or UNIX")]
    [TestCase("systemd:domain=INET:index=4", "there is no index 4")]
    [TestCase("systemd:domain=INET:name=db", "no socket named 'db'")]
    [TestCase("systemd:domain=INET:index=0:colour=blue", "unknown key")]
    public void BadSystemdEndpointStringsSayWhatIsWrong(string description, string expected)
    {
        using var reactor = ReactorLoop.Create();
        var sockets = SystemdSockets.Parse("1", Me.ToString(), "web", Me);
        Assert.That(() => SystemdServerEndpoint.Parse(reactor, description, sockets),
            Throws.InstanceOf<EndpointParseError>().With.Message.Contains(expected));
    }

    [Test]
    public async Task APassedListeningSocketIsAdoptedAsAConfiguredListener()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(16);
        var fd = (int)listening.Handle;
        // The test's socket stands where systemd would put descriptor 3.
        var passed = SystemdSockets.Parse("1", Me.ToString(), "echo", Me, firstDescriptor: fd);

        var builder = Builder(new Dictionary<string, string?> { ["Reactor:Listeners:Echo"] = "systemd:domain=INET:name=echo" });
        builder.Services.AddSingleton(passed);
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        await host.StartWithin();

        var port = host.Services.GetRequiredService<ReactorHostedService>().GetListener("Echo").Port!;
        Assert.That(port.GetHost(), Is.EqualTo(listening.LocalEndPoint));
        Assert.That(EchoThrough(listening.LocalEndPoint!, "activated"), Is.EqualTo("activated"));
        await host.StopWithin();
    }
}
