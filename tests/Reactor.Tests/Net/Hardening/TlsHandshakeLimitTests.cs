using Reactor.Core;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 4: <see cref="TlsServerOptions.MaxConcurrentHandshakes"/> bounds the handshakes a
/// port runs at once; the excess is closed before any TLS work, and the port serves again as soon as
/// a slot frees.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsHandshakeLimitTests(SelectorKind kind)
{
    [Test]
    public void ConnectionsBeyondTheBoundAreClosedAtOnceAndAFreedSlotServesAgain()
    {
        var logger = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = logger });
        var built = 0;
        var options = TlsPair.ServerOptions();
        options.MaxConcurrentHandshakes = 2;
        var tls = new TlsServerFactory(Factory.ForProtocol(() =>
        {
            built++;
            return new TlsRecorder { Echo = true };
        }), options, reactor, logger);
        var port = NetTesting.PortOf(reactor.ListenTcp(0, tls, @interface: "127.0.0.1"));

        RecordingProtocol Stall()
        {
            var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write(TlsHandshakeTimeoutTests.StalledRecordHeader) };
            reactor.ConnectTcp("127.0.0.1", port, new RecordingClientFactory(() => client));
            return client;
        }

        var holders = new[] { Stall(), Stall() };
        reactor.RunUntil(() => tls.HandshakesInProgress == 2, "two stalled handshakes holding both slots");
        var excess = new[] { Stall(), Stall(), Stall() };
        reactor.RunUntil(() => excess.All(c => c.IsLost), "the connections beyond the bound to be closed");
        Assert.Multiple(() =>
        {
            Assert.That(tls.RefusedForHandshakeLimit, Is.EqualTo(3));
            Assert.That(built, Is.EqualTo(2), "the wrapped factory never saw the refused connections");
            Assert.That(holders.Any(c => c.IsLost), Is.False, "the handshakes in progress go on (the reactor's timeout is 10 s)");
            Assert.That(logger.Entries.Count(e => e.Message.Contains("MaxConcurrentHandshakes")), Is.EqualTo(1), "logged once for the burst");
        });

        // One stalled client leaves: its slot is free, and a real client is served.
        holders[0].Transport.LoseConnection();
        reactor.RunUntil(() => tls.HandshakesInProgress == 1, "the slot to be given back");
        var normal = new TlsRecorder { Greeting = "hi"u8.ToArray() };
        reactor.ConnectSsl("127.0.0.1", port, new RecordingClientFactory(() => normal), new TlsClientOptions
        {
            TrustedCertificateAuthorities = TestCertificates.Roots,
            ServerName = "localhost",
        });
        reactor.RunUntil(() => normal.ReceivedText == "hi" || normal.LostCount > 0, "the echo through the freed slot");
        Assert.Multiple(() =>
        {
            Assert.That(normal.ReceivedText, Is.EqualTo("hi"));
            Assert.That(tls.HandshakesInProgress, Is.EqualTo(1), "a completed handshake gives its slot back");
        });
    }

    [Test]
    public void ABoundBelowOneIsRefused()
    {
        var options = TlsPair.ServerOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxConcurrentHandshakes = 0);
        options.MaxConcurrentHandshakes = null;
        Assert.That(options.MaxConcurrentHandshakes, Is.Null);
    }
}
