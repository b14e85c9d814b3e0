using Reactor.Core;
using Reactor.Defer;
using Reactor.Docs.Samples.Guides.Endpoints;
using Reactor.Net.Endpoints;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/endpoints.md: one program pointed at TCP and at a UNIX socket by strings alone.</summary>
public class EndpointsGuideTests
{
    private static object? Run(Func<ReactorLoop, Deferred<string>> start)
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        object? outcome = null;
        start(reactor).AddCallbacks<object?>(heard => outcome = heard, failure => outcome = failure);
        reactor.RunUntil(() => outcome is not null, "the endpoint round trip");
        return outcome;
    }

    [Test]
    public void TcpStrings()
    {
        var outcome = Run(reactor => EndpointSamples.ListenThenConnect(reactor, "tcp:0:interface=127.0.0.1", "tcp:host=127.0.0.1:port={0}"));
        Assert.That(outcome, Is.EqualTo("hello\n"));
    }

    [Test]
    public void UnixStrings()
    {
        var directory = Directory.CreateTempSubdirectory("reactor-endpoints-guide-");
        try
        {
            var path = EndpointDescription.Quote(Path.Combine(directory.FullName, "hello.sock"));
            var outcome = Run(reactor => EndpointSamples.ListenThenConnect(reactor, $"unix:{path}", $"unix:path={path}"));
            Assert.That(outcome, Is.EqualTo("hello\n"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public void AMistakeInAStringIsNamed()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        var error = Assert.Throws<EndpointParseError>(() => EndpointStrings.ServerFromString(reactor, "tcp:80:backlgo=5"));
        Assert.That(error!.Message, Does.Contain("backlgo"));
    }
}
