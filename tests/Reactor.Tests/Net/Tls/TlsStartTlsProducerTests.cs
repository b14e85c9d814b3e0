using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Tls;

/// <summary>
/// After STARTTLS on a socket transport, the transport's public members only route to the TLS layer,
/// and the layer writes through the transport's raw operations (issue 18). So application code the
/// transport calls back while the layer is calling down (a pull producer asked for more from inside
/// the registration) still writes through TLS: no bytes escape in clear.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class TlsStartTlsProducerTests(SelectorKind kind)
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

    [Test]
    public void APullProducerRegisteredAfterStartTlsWritesThroughTls()
    {
        Server? server = null;
        var port = _reactor.ListenTcp(0, Factory.ForProtocol(() => server = new Server()), @interface: "127.0.0.1");
        var client = new Client();
        _reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));

        _reactor.RunUntil(() => server is { Encrypted.Length: > 0 } && server.Encrypted.ToString().EndsWith("chunk4\n", StringComparison.Ordinal), "every chunk, decrypted");

        Assert.That(server!.Encrypted.ToString(), Is.EqualTo("chunk0\nchunk1\nchunk2\nchunk3\nchunk4\n"));
        Assert.That(server.Clear.ToString(), Is.EqualTo("STARTTLS\n"), "nothing but the request crossed in clear");
        Assert.That(client.Producer.Asked, Is.GreaterThanOrEqualTo(5));
        Assert.That(server.Lost, Is.Null, "the TLS session survived (a clear chunk would have broken it)");
        Assert.That(_logger.Errors, Is.Empty);
    }

    private sealed class Server : Protocol
    {
        private ITlsTransport? _tls;

        public StringBuilder Clear { get; } = new();

        public StringBuilder Encrypted { get; } = new();

        public Failure? Lost { get; private set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            var text = Encoding.ASCII.GetString(data);
            if (_tls is not null)
            {
                Encrypted.Append(text);
                return;
            }
            Clear.Append(text);
            if (Clear.ToString() != "STARTTLS\n") return;
            Transport.Write("GO\n"u8);
            _tls = ((IStartTls)Transport).StartTls(TlsPair.ServerOptions());
        }

        public override void ConnectionLost(Failure reason) => Lost = reason;
    }

    private sealed class Client : Protocol
    {
        public ChunkProducer Producer { get; private set; } = null!;

        public override void ConnectionMade() => Transport.Write("STARTTLS\n"u8);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (Producer is not null || Encoding.ASCII.GetString(data) != "GO\n") return;
            var options = TlsPair.ClientOptions();
            options.ServerName = "localhost";
            ((IStartTls)Transport).StartTls(options);
            // A pull producer is asked for its first chunk inside this call, while the TLS layer is
            // registering it on the socket underneath.
            Producer = new ChunkProducer(Transport);
            Transport.RegisterProducer(Producer, streaming: false);
        }
    }

    private sealed class ChunkProducer(ITransport transport) : IPullProducer
    {
        private int _next;

        public int Asked { get; private set; }

        public void ResumeProducing()
        {
            Asked++;
            if (_next == 5) return;
            transport.Write(Encoding.ASCII.GetBytes($"chunk{_next++}\n"));
            if (_next == 5) ((IStreamTransport)transport).UnregisterProducer();
        }

        public void StopProducing() { }
    }
}
