using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>
/// The public parser registry (Twisted's string-parser plugins; twisted.internet.test.test_endpoints
/// ServerStringTests.test_stringParserWithReactor / ClientStringTests.test_stringParserWithReactor and
/// PluginTests — a registered plugin's prefix is parsed with the reactor and the arguments).
/// </summary>
[NonParallelizable]
public class EndpointParserRegistryTests
{
    // twisted: test_endpoints.ServerStringTests.test_stringParserWithReactor / test_endpointsPlugins
    [Test]
    public void ARegisteredServerParserIsUsedWithTheReactorAndArguments()
    {
        var parser = new FakeServerParser();
        EndpointStrings.RegisterServerParser(parser);
        try
        {
            var reactor = new Reactor.Testing.MemoryReactor();
            var endpoint = EndpointStrings.ServerFromString(reactor, "Fake:alpha:beta=gamma");
            Assert.That(endpoint, Is.SameAs(parser.Built));
            Assert.That(parser.Reactor, Is.SameAs(reactor));
            Assert.That(parser.Description!.Arguments, Is.EqualTo(new[] { "alpha" }));
            Assert.That(parser.Description.Keywords["beta"], Is.EqualTo("gamma"));
            Assert.That(EndpointStrings.ServerParsers, Has.Member(parser));
        }
        finally
        {
            Assert.That(EndpointStrings.UnregisterServerParser(parser), Is.True);
        }
        Assert.Throws<EndpointParseError>(() => EndpointStrings.ServerFromString(new Reactor.Testing.MemoryReactor(), "fake:alpha"));
    }

    // twisted: test_endpoints.ClientStringTests.test_stringParserWithReactor
    [Test]
    public void ARegisteredClientParserIsUsedWithTheReactor()
    {
        var parser = new FakeClientParser();
        EndpointStrings.RegisterClientParser(parser);
        try
        {
            var reactor = new Reactor.Testing.MemoryReactor();
            var endpoint = EndpointStrings.ClientFromString(reactor, "fakeclient:x");
            Assert.That(endpoint, Is.InstanceOf<FakeClientEndpoint>());
            Assert.That(((FakeClientEndpoint)endpoint).Reactor, Is.SameAs(reactor));
            var error = Assert.Throws<EndpointParseError>(() => EndpointStrings.ClientFromString(reactor, "nosuch:x"))!;
            Assert.That(error.Message, Does.Contain("fakeclient"), "the known types include the registered one");
        }
        finally
        {
            EndpointStrings.UnregisterClientParser(parser);
        }
    }

    [Test]
    public void BuiltInTypesCannotBeReplacedNorRemovedAndPrefixesAreChecked()
    {
        Assert.Throws<ArgumentException>(() => EndpointStrings.RegisterServerParser(new FakeServerParser("TCP")));
        Assert.Throws<ArgumentException>(() => EndpointStrings.RegisterClientParser(new FakeClientParser("a:b")));
        Assert.That(EndpointStrings.UnregisterServerParser(EndpointStrings.ServerParsers[0]), Is.False);
        Assert.That(EndpointStrings.ServerParsers.Select(p => p.Prefix).Take(4), Is.EqualTo(new[] { "tcp", "tcp6", "unix", "ssl" }));
        Assert.That(EndpointStrings.ClientParsers.Select(p => p.Prefix).Take(4), Is.EqualTo(new[] { "tcp", "unix", "ssl", "tls" }));
    }

    private sealed class FakeServerParser(string prefix = "fake") : IStreamServerEndpointStringParser
    {
        public string Prefix => prefix;

        public object? Reactor { get; private set; }

        public EndpointDescription? Description { get; private set; }

        public IStreamServerEndpoint? Built { get; private set; }

        public IStreamServerEndpoint ParseStreamServer(object reactor, EndpointDescription description)
        {
            Reactor = reactor;
            Description = description;
            return Built = new Tcp4ServerEndpoint(EndpointStrings.Require<IReactorTcp>(reactor, description), 0);
        }
    }

    private sealed class FakeClientParser(string prefix = "fakeclient") : IStreamClientEndpointStringParser
    {
        public string Prefix => prefix;

        public IStreamClientEndpoint ParseStreamClient(object reactor, EndpointDescription description) => new FakeClientEndpoint(reactor);
    }

    private sealed class FakeClientEndpoint(object reactor) : IStreamClientEndpoint
    {
        public object Reactor => reactor;

        public Deferred<IProtocol> Connect(IProtocolFactory factory) => Deferred.Fail<IProtocol>(new ConnectError("fake endpoints do not connect"));
    }
}
