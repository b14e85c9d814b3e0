using Reactor.Net.Endpoints;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>Every way a description can be wrong names the bad segment and the keys the type accepts.</summary>
public class EndpointParseErrorTests
{
    private const string TcpServerKeys = "port, interface, backlog";
    private const string TcpClientKeys = "host, port, timeout, bindAddress";

    private static readonly Reactor.Testing.MemoryReactor Reactor = new();

    // Server strings.
    [TestCase("tcp:80:bogus=1", "bogus=1", "\"bogus\" is not a key of a tcp endpoint", TcpServerKeys)]
    [TestCase("tcp:http", "http", "\"port\" must be a port number from 0 to 65535", TcpServerKeys)]
    [TestCase("tcp:65536", "65536", "from 0 to 65535", TcpServerKeys)]
    [TestCase("tcp:-1", "-1", "from 0 to 65535", TcpServerKeys)]
    [TestCase("tcp:interface=127.0.0.1", null, "a tcp endpoint needs \"port\"", TcpServerKeys)]
    [TestCase("tcp:80:81", "81", "unexpected positional argument", TcpServerKeys)]
    [TestCase("tcp:80:interface=\\:\\:1", "interface=\\:\\:1", "must be an IPv4 address, not \"::1\"", TcpServerKeys)]
    [TestCase("tcp:80:interface=localhost", "interface=localhost", "must be an IPv4 address", TcpServerKeys)]
    [TestCase("tcp6:80:interface=127.0.0.1", "interface=127.0.0.1", "must be an IPv6 address", TcpServerKeys)]
    [TestCase("tcp:80:backlog=0", "backlog=0", "\"backlog\" must be a backlog from 1", TcpServerKeys)]
    [TestCase("tcp:80:backlog=many", "backlog=many", "\"backlog\" must be a backlog", TcpServerKeys)]
    [TestCase("tcp:80:Backlog=5", "Backlog=5", "\"Backlog\" is not a key", TcpServerKeys)]
    public void ServerErrors(string description, string? segment, string problem, string keys) =>
        Check(() => EndpointStrings.ServerFromString(Reactor, description), description, segment, problem, keys);

    // Client strings.
    [TestCase("tcp:port=80", null, "a tcp endpoint needs \"host\"", TcpClientKeys)]
    [TestCase("tcp:host=example.com", null, "a tcp endpoint needs \"port\"", TcpClientKeys)]
    [TestCase("tcp::80", "", "\"host\" must not be empty", TcpClientKeys)]
    [TestCase("tcp:h:0", "0", "\"port\" must be a port number from 1 to 65535", TcpClientKeys)]
    [TestCase("tcp:h:80:timeout=0", "timeout=0", "positive number of seconds", TcpClientKeys)]
    [TestCase("tcp:h:80:timeout=soon", "timeout=soon", "positive number of seconds", TcpClientKeys)]
    [TestCase("tcp:h:80:bindAddress=nope", "bindAddress=nope", "must be an IP address", TcpClientKeys)]
    [TestCase("tcp:h:80:interface=1.2.3.4", "interface=1.2.3.4", "\"interface\" is not a key", TcpClientKeys)]
    [TestCase("tcp:h:80:x", "x", "takes at most 2 positional argument(s) (host, port)", TcpClientKeys)]
    public void ClientErrors(string description, string? segment, string problem, string keys) =>
        Check(() => EndpointStrings.ClientFromString(Reactor, description), description, segment, problem, keys);

    [Test]
    public void AnUnknownTypeListsTheKnownOnes()
    {
        // Twisted: ParserTests.test_unknownType / ServerStringTests.test_unknownType ("bogus-type:nothing").
        var e = Assert.Throws<EndpointParseError>(() => EndpointStrings.ServerFromString(Reactor, "bogus-type:nothing"))!;
        Assert.That(e.Segment, Is.EqualTo("bogus-type"));
        Assert.That(e.Message, Does.Contain("unknown server endpoint type \"bogus-type\"").And.Contain("known types: tcp, tcp6, unix, ssl"));
        var c = Assert.Throws<EndpointParseError>(() => EndpointStrings.ClientFromString(Reactor, "bogus-type:nothing"))!;
        Assert.That(c.Message, Does.Contain("unknown client endpoint type"));
    }

    private static void Check(TestDelegate parse, string description, string? segment, string problem, string keys)
    {
        var e = Assert.Throws<EndpointParseError>(parse)!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Description, Is.EqualTo(description));
            Assert.That(e.Segment, Is.EqualTo(segment));
            Assert.That(e.Message, Does.Contain(problem));
            Assert.That(string.Join(", ", e.AcceptedKeys), Is.EqualTo(keys));
            Assert.That(e.Message, Does.Contain("Accepted keys: " + keys));
            if (segment is not null) Assert.That(e.Message, Does.Contain($"in segment \"{segment}\""));
        });
    }
}
