using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using static Reactor.Testing.DeferredAssert;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// StopTls, Python's SSLSocket.unwrap() (CPython's test_ssl ThreadedTests.test_starttls
/// does STARTTLS, then ENDTLS with unwrap, then plaintext; Twisted has no equivalent). Over real
/// loopback TCP: plaintext, STARTTLS, an encrypted exchange, close_notify both ways, plaintext again.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsStopTlsTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _logger = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _logger });
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    /// <summary>Collects text and says which phase each byte arrived in.</summary>
    private abstract class Phased : Protocol, IHandshakeListener
    {
        public StringBuilder Text { get; } = new();
        public StringBuilder PlainAfter { get; } = new();
        public ITlsTransport? Tls { get; protected set; }
        public bool Unwrapped { get; protected set; }
        public Failure? LostReason { get; private set; }
        public Exception? WriteDuringUnwrap { get; protected set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            var text = Encoding.ASCII.GetString(data);
            if (Unwrapped) PlainAfter.Append(text);
            else Text.Append(text);
            OnText();
        }

        protected abstract void OnText();

        public virtual void HandshakeCompleted() { }

        public override void ConnectionLost(Failure reason) => LostReason = reason;

        protected void Unwrap(string reply)
        {
            var done = Tls!.StopTls();
            try
            {
                Transport.Write("too early"u8);
            }
            catch (InvalidOperationException e)
            {
                WriteDuringUnwrap = e;
            }
            done.AddCallback(plain =>
            {
                Unwrapped = true;
                Assert.That(plain, Is.SameAs(Transport), "the same transport, now plain");
                Transport.Write(Encoding.ASCII.GetBytes(reply));
                return plain;
            });
        }
    }

    private sealed class Server : Phased
    {
        private int _step;

        protected override void OnText()
        {
            if (_step == 0 && Text.ToString() == "STARTTLS\n")
            {
                _step = 1;
                Transport.Write("GO\n"u8);
                Tls = ((IStartTls)Transport).StartTls(TlsPair.ServerOptions());
            }
            else if (_step == 1 && Text.ToString() == "STARTTLS\nCCC\n")
            {
                _step = 2;
                Transport.Write("OK\n"u8); // encrypted, and sent before our close_notify
                Unwrap("plain from server\n");
            }
        }
    }

    private sealed class Client : Phased
    {
        private int _step;

        public override void ConnectionMade() => Transport.Write("STARTTLS\n"u8);

        protected override void OnText()
        {
            if (_step == 0 && Text.ToString() == "GO\n")
            {
                _step = 1;
                var options = TlsPair.ClientOptions();
                options.ServerName = "localhost";
                Tls = ((IStartTls)Transport).StartTls(options);
            }
            else if (_step == 1 && Text.ToString() == "GO\nOK\n")
            {
                _step = 2;
                Unwrap("plain from client\n");
            }
        }

        public override void HandshakeCompleted() => Transport.Write("CCC\n"u8);
    }

    [Test]
    public void BothSidesReturnToPlaintextOnTheSameConnection()
    {
        Server? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new Server()), @interface: "127.0.0.1");
        var client = new Client();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => server is { Unwrapped: true } && client.Unwrapped
            && client.PlainAfter.ToString() == "plain from server\n" && server.PlainAfter.ToString() == "plain from client\n",
            "the plaintext both ways after StopTls");
        Assert.Multiple(() =>
        {
            Assert.That(server!.Text.ToString(), Is.EqualTo("STARTTLS\nCCC\n"));
            Assert.That(client.Text.ToString(), Is.EqualTo("GO\nOK\n"));
            Assert.That(client.WriteDuringUnwrap, Is.InstanceOf<InvalidOperationException>(), "a write between StopTls and its Deferred is refused");
            Assert.That(server.WriteDuringUnwrap, Is.InstanceOf<InvalidOperationException>());
            Assert.That(client.Tls!.IsHandshakeComplete, Is.True);
        });

        // Plaintext keeps flowing, and a plain close is a clean close.
        client.Transport.Write("more\n"u8);
        _reactor.RunUntil(() => server!.PlainAfter.ToString() == "plain from client\nmore\n", "a later plain write");
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.LostReason is not null && server!.LostReason is not null, "both sides closed");
        Assert.That(server!.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(_logger.Errors, Is.Empty);
    }

    /// <summary>A connection that began as TLS: the server asks for plaintext with a CCC line, both unwrap.</summary>
    private sealed class BornTls : Phased
    {
        private readonly bool _isServer;
        private int _step;

        public BornTls(bool isServer) => _isServer = isServer;

        public override void HandshakeCompleted()
        {
            Tls = (ITlsTransport)Transport;
            if (!_isServer) Transport.Write("CCC\n"u8);
        }

        protected override void OnText()
        {
            if (_isServer && _step == 0 && Text.ToString() == "CCC\n")
            {
                _step = 1;
                Transport.Write("OK\n"u8); // encrypted, before our close_notify
                Unwrap("plain from server\n");
            }
            else if (!_isServer && _step == 0 && Text.ToString() == "OK\n")
            {
                _step = 1;
                Unwrap("plain from client\n");
            }
        }
    }

    [Test]
    public void AConnectionThatBeganAsTlsReturnsToPlaintextAndKeepsItsTransport()
    {
        BornTls? server = null;
        var port = _reactor.ListenSsl(0, Factory.ForProtocol(() => server = new BornTls(isServer: true)), TlsPair.ServerOptions(), @interface: "127.0.0.1");
        var client = new BornTls(isServer: false);
        _reactor.ConnectSsl("localhost", NetTesting.PortOf(port), new RecordingClientFactory(() => client), TlsPair.ClientOptions());

        _reactor.RunUntil(() => server is { Unwrapped: true } && client.Unwrapped
            && client.PlainAfter.ToString() == "plain from server\n" && server.PlainAfter.ToString() == "plain from client\n",
            "the plaintext both ways after StopTls");
        Assert.Multiple(() =>
        {
            Assert.That(server!.Text.ToString(), Is.EqualTo("CCC\n"));
            Assert.That(client.Text.ToString(), Is.EqualTo("OK\n"));
            Assert.That(client.WriteDuringUnwrap, Is.InstanceOf<InvalidOperationException>(), "a write between StopTls and its Deferred is refused");
            Assert.That(client.Tls!.ProtocolVersion, Is.Not.Null, "what the handshake settled stays readable");
        });

        // Plaintext keeps flowing through the transport the protocols hold; half-close and close
        // go to the socket.
        client.Transport.Write("more\n"u8);
        server!.Transport.Write("and more\n"u8);
        _reactor.RunUntil(() => server.PlainAfter.ToString() == "plain from client\nmore\n" && client.PlainAfter.ToString() == "plain from server\nand more\n", "later plain writes");
        client.Transport.LoseConnection();
        _reactor.RunUntil(() => client.LostReason is not null && server.LostReason is not null, "both sides closed");
        Assert.Multiple(() =>
        {
            Assert.That(server.LostReason!.Value, Is.TypeOf<ConnectionDone>(), "a plain close is a clean close");
            Assert.That(client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
            Assert.That(_logger.Errors, Is.Empty);
        });
    }

    [Test]
    public void APausedApplicationStaysPausedAcrossTheReturnToPlaintext()
    {
        BornTls? server = null;
        var port = _reactor.ListenSsl(0, Factory.ForProtocol(() => server = new BornTls(isServer: true)), TlsPair.ServerOptions(), @interface: "127.0.0.1");
        var client = new BornTls(isServer: false);
        _reactor.ConnectSsl("localhost", NetTesting.PortOf(port), new RecordingClientFactory(() => client), TlsPair.ClientOptions());
        _reactor.RunUntil(() => server is { Unwrapped: true } && client.Unwrapped && client.PlainAfter.Length > 0 && server.PlainAfter.Length > 0, "both in plaintext");

        server!.Transport.PauseProducing();
        client.Transport.Write("held\n"u8);
        var marker = _reactor.CallLater(TimeSpan.FromMilliseconds(50), () => { });
        _reactor.RunUntil(() => !marker.Active, "a few iterations while paused");
        Assert.That(server.PlainAfter.ToString(), Is.EqualTo("plain from client\n"), "nothing delivered while paused");
        server.Transport.ResumeProducing();
        _reactor.RunUntil(() => server.PlainAfter.ToString() == "plain from client\nheld\n", "delivered after resuming");
    }

    [Test]
    public void StopTlsFailsWhenThePeerClosesInstead()
    {
        Server? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new Server()), @interface: "127.0.0.1");
        var client = new StoppingClient();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        _reactor.RunUntil(() => client.Stopping is not null, "the client's StopTls");
        ((IStreamTransport)server!.Transport).AbortConnection();
        _reactor.RunUntil(() => client.Stopping!.HasResult, "StopTls's outcome");
        Assert.That(FailureResultOf(client.Stopping!).Value, Is.InstanceOf<ConnectionLost>());
    }

    /// <summary>Upgrades, then calls StopTls at once, before the server asks for it.</summary>
    private sealed class StoppingClient : Phased
    {
        public Deferred<IStreamTransport>? Stopping { get; private set; }

        public override void ConnectionMade() => Transport.Write("STARTTLS\n"u8);

        protected override void OnText()
        {
            if (Tls is not null || Text.ToString() != "GO\n") return;
            var options = TlsPair.ClientOptions();
            options.ServerName = "localhost";
            Tls = ((IStartTls)Transport).StartTls(options);
        }

        public override void HandshakeCompleted() => Stopping = Tls!.StopTls();
    }
}
