using System.Text;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Time;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// STARTTLS over an in-memory plain transport built like the socket transports: clear text
/// first, then the same protocol objects talk through TLS.
/// </summary>
public sealed class TlsStartTlsTests
{
    [Test]
    public void UpgradeKeepsTheProtocolAndEncryptsWhatFollows()
    {
        var clock = new Clock();
        var server = new StartTlsServer(TlsPair.ServerOptions());
        var clientOptions = TlsPair.ClientOptions();
        clientOptions.ServerName = "localhost";
        var client = new StartTlsClient(clientOptions, "the secret");
        var serverSide = new UpgradableTransport(server, clock);
        var clientSide = new UpgradableTransport(client, clock);
        var pump = LoopbackPump.Connect(serverSide, clientSide, greet: false);

        Run(pump, clock, () => client.ReceivedText == "the secret");

        var wire = Encoding.ASCII.GetString(serverSide.WireBytesReceived);
        Assert.Multiple(() =>
        {
            Assert.That(server.ClearText, Is.EqualTo("STARTTLS\n"));
            Assert.That(client.ClearText, Is.EqualTo("GO\n"));
            Assert.That(server.ReceivedText, Is.EqualTo("the secret"));
            Assert.That(wire, Does.StartWith("STARTTLS\n"));
            Assert.That(wire, Does.Not.Contain("the secret"), "after the upgrade only ciphertext crosses the wire");
            Assert.That(server.Transport, Is.SameAs(serverSide), "the protocol keeps its transport");
            Assert.That(client.Events, Is.EqualTo(new[] { "made", "handshake" }), "ConnectionMade is not called again");
            Assert.That(client.Tls2!.GetPeerCertificate()!.Thumbprint, Is.EqualTo(TestCertificates.Server.Thumbprint));
            Assert.That(server.Tls2!.IsHandshakeComplete, Is.True);
        });

        client.Transport.LoseConnection();
        Run(pump, clock, () => client.LostCount == 1 && server.LostCount == 1);
        Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>(), "close_notify went through the upgraded transport");
    }

    [Test]
    public void StartTlsAsClientNeedsAServerName()
    {
        var clock = new Clock();
        var client = new TlsRecorder();
        var side = new UpgradableTransport(client, clock);
        LoopbackPump.Connect(new TlsRecorder(), side, greet: false);

        Assert.Throws<ArgumentException>(() => ((IStartTls)client.Transport).StartTls(new TlsClientOptions()));
    }

    private static void Run(LoopbackPump pump, Clock clock, Func<bool> until)
    {
        for (var i = 0; i < 100_000 && !until(); i++)
        {
            if (!pump.Pump() && clock.GetDelayedCalls().Count > 0) clock.Advance(TimeSpan.Zero);
        }
        Assert.That(until(), Is.True, "the condition never held");
    }
}
