using Reactor.Core;
using Reactor.Defer;
using Reactor.Docs.Samples.Guides.Tls;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/tls.md: the greeter over real TLS on loopback, with a pinned certificate.</summary>
public class TlsGuideTests
{
    [Test]
    public void ThePinnedClientHearsTheGreetingAndACleanClose()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        using var certificate = TlsSamples.DevelopmentCertificate();
        var port = TlsSamples.Listen(reactor, certificate);
        (string Text, Failure Reason)? outcome = null;
        TlsSamples.Connect(reactor, NetTesting.PortOf(port), certificate, (text, reason) => outcome = (text, reason));
        reactor.RunUntil(() => outcome is not null, "the TLS connection to end");
        Assert.That(outcome!.Value.Text, Does.Match(@"^hello over Tls1[23]\n$"));
        Assert.That(outcome.Value.Reason.Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void AClientPinningAnotherCertificateRefusesTheServer()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        using var certificate = TlsSamples.DevelopmentCertificate();
        using var other = TlsSamples.DevelopmentCertificate();
        var port = TlsSamples.Listen(reactor, certificate);
        (string Text, Failure Reason)? outcome = null;
        TlsSamples.Connect(reactor, NetTesting.PortOf(port), other, (text, reason) => outcome = (text, reason));
        reactor.RunUntil(() => outcome is not null, "the TLS connection to fail");
        Assert.That(outcome!.Value.Text, Is.Empty);
        Assert.That(outcome.Value.Reason.Value, Is.InstanceOf<TlsError>());
    }
}
