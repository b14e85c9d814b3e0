using System.Text;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 4: a TLS peer that stalls its handshake is dropped after the handshake timeout,
/// on the server side (ListenSsl) and the client side (ConnectSsl), while a normal client is served.
/// Short timeouts keep the tests quick; they assert what happens, never how long it took.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsHandshakeTimeoutTests(SelectorKind kind)
{
    /// <summary>A TLS handshake record header (type 22, TLS 1.0 record version, 512-byte body) whose body never comes.</summary>
    internal static readonly byte[] StalledRecordHeader = [0x16, 0x03, 0x01, 0x02, 0x00];

    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger, TlsHandshakeTimeout = TimeSpan.FromMilliseconds(300) });
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void StalledHandshakesAreDroppedWhileANormalClientIsServed()
    {
        var servers = new List<TlsRecorder>();
        var appFactory = Factory.ForProtocol(() =>
        {
            var server = new TlsRecorder { Echo = true };
            servers.Add(server);
            return server;
        });
        // The stalled clients meet the reactor's 300 ms timeout. The normal client's own handshake
        // (the process's first, slow on a loaded machine) gets a generous one, on a second port of
        // the same reactor, so only the stalled ones can run out of time.
        var port = NetTesting.PortOf(_reactor.ListenSsl(0, appFactory, TlsPair.ServerOptions(), @interface: "127.0.0.1"));
        var generous = TlsPair.ServerOptions();
        generous.HandshakeTimeout = NetTesting.Deadline;
        var normalPort = NetTesting.PortOf(_reactor.ListenSsl(0, appFactory, generous, @interface: "127.0.0.1"));

        var normal = new TlsRecorder { Echo = false };
        _reactor.ConnectSsl("127.0.0.1", normalPort, new RecordingClientFactory(() => normal), new TlsClientOptions
        {
            TrustedCertificateAuthorities = TestCertificates.Roots,
            ServerName = "localhost",
            HandshakeTimeout = NetTesting.Deadline,
        });
        _reactor.RunUntil(() => normal.HandshakeDone || normal.LostCount > 0, "the normal client's handshake");
        Assert.That(normal.LostReason, Is.Null, () => normal.LostReason!.Value.ToString());

        var stalled = Enumerable.Range(0, 5).Select(_ => new RecordingProtocol
        {
            OnConnectionMade = p => p.Transport.Write(StalledRecordHeader),
        }).ToList();
        foreach (var client in stalled)
        {
            _reactor.ConnectTcp("127.0.0.1", port, new RecordingClientFactory(() => client));
        }
        _reactor.RunUntil(() => servers.Count == 6, "the stalled clients to be accepted");
        // While they stall, the normal client is served.
        normal.Transport.Write(Encoding.ASCII.GetBytes("ping"));
        _reactor.RunUntil(() => normal.ReceivedText == "ping", "the echo to the normal client");

        _reactor.RunUntil(() => stalled.All(c => c.IsLost), "the stalled clients to be dropped");
        normal.Transport.Write(Encoding.ASCII.GetBytes("pong"));
        _reactor.RunUntil(() => normal.ReceivedText == "pingpong", "a second echo after the drops");

        Assert.Multiple(() =>
        {
            Assert.That(normal.LostCount, Is.Zero, "the normal client is still connected");
            Assert.That(stalled.All(c => c.Received.Length == 0), Is.True, "a stalled client was sent nothing");
            Assert.That(stalled.All(c => c.LostReason!.Value is ConnectionLost), Is.True, "the server aborted the stalled connections");
            var dropped = servers.Skip(1).ToList();
            Assert.That(dropped.All(s => s.LostCount == 1), Is.True);
            Assert.That(dropped.Select(s => ((TlsError)s.LostReason!.Value).Kind), Is.All.EqualTo(TlsErrorKind.HandshakeTimedOut));
            Assert.That(servers[0].LostCount, Is.Zero);
        });
    }

    [Test]
    public void AClientWhoseServerNeverAnswersGivesUpAndTheFactoryHearsWhy()
    {
        // A TCP server that accepts and never says a word.
        var port = NetTesting.PortOf(_reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()), @interface: "127.0.0.1"));
        var client = new TlsRecorder();
        var factory = new RecordingClientFactory(() => client);
        _reactor.ConnectSsl("127.0.0.1", port, factory, new TlsClientOptions
        {
            TrustedCertificateAuthorities = TestCertificates.Roots,
            ServerName = "localhost",
        });

        _reactor.RunUntil(() => factory.LostReason is not null, "the client to give up its handshake");

        Assert.Multiple(() =>
        {
            Assert.That(client.HandshakeDone, Is.False);
            Assert.That(client.LostReason!.Value, Is.TypeOf<TlsError>());
            Assert.That(((TlsError)client.LostReason.Value).Kind, Is.EqualTo(TlsErrorKind.HandshakeTimedOut));
            Assert.That(factory.LostReason!.Value, Is.SameAs(client.LostReason.Value), "ClientConnectionLost hears the TLS reason");
        });
    }

    [Test]
    public void TheOptionsTimeoutOverridesTheReactorsAndInfiniteWaits()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new TlsClientOptions { HandshakeTimeout = TimeSpan.Zero });
            Assert.Throws<ArgumentOutOfRangeException>(() => new TlsClientOptions { HandshakeTimeout = TimeSpan.FromSeconds(-2) });
            Assert.Throws<ArgumentOutOfRangeException>(() => ReactorLoop.Create(new ReactorOptions { TlsHandshakeTimeout = TimeSpan.FromSeconds(-2) }).Dispose());
        });

        // The reactor says 300 ms; these options say never. A peer that stalls keeps its
        // connection until the client itself leaves.
        var servers = new List<TlsRecorder>();
        var options = TlsPair.ServerOptions();
        options.HandshakeTimeout = Timeout.InfiniteTimeSpan;
        var port = NetTesting.PortOf(_reactor.ListenSsl(0, Factory.ForProtocol(() =>
        {
            var server = new TlsRecorder();
            servers.Add(server);
            return server;
        }), options, @interface: "127.0.0.1"));
        var stalled = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write(StalledRecordHeader) };
        _reactor.ConnectTcp("127.0.0.1", port, new RecordingClientFactory(() => stalled));
        _reactor.RunUntil(() => servers.Count == 1, "the stalled client to be accepted");
        // A TLS client with the reactor's 300 ms timeout (its options set none), against a server that holds its handshake
        // open forever, is the witness that time passed well beyond 300 ms.
        var silentPort = NetTesting.PortOf(_reactor.ListenTcp(0, Factory.ForProtocol(() => new RecordingProtocol()), @interface: "127.0.0.1"));
        var witness = new TlsRecorder();
        _reactor.ConnectSsl("127.0.0.1", silentPort, new RecordingClientFactory(() => witness),
            new TlsClientOptions { TrustedCertificateAuthorities = TestCertificates.Roots, ServerName = "localhost" });
        _reactor.RunUntil(() => witness.LostCount == 1, "the witness's own handshake timeout");
        // Let the server side catch up with everything that is due by now.
        for (var i = 0; i < 5; i++) _reactor.Iterate(TimeSpan.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(((TlsError)witness.LostReason!.Value).Kind, Is.EqualTo(TlsErrorKind.HandshakeTimedOut));
            Assert.That(servers[0].LostCount, Is.Zero, "an infinite handshake timeout on the options keeps the stalled connection");
            Assert.That(stalled.IsLost, Is.False);
        });
    }
}
