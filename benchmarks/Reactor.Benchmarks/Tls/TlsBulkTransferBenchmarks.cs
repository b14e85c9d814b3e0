using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Benchmarks.Tls;

/// <summary>
/// Bulk TLS throughput over loopback TCP: <see cref="Payload"/> bytes encrypted by a client and
/// decrypted by a server, through the reactor's TLS layer — both ends on one reactor thread
/// (<see cref="ReactorTls"/>), or each end on its own reactor and thread
/// (<see cref="ReactorTlsTwoLoops"/>) — next to the same transfer between two
/// <see cref="SslStream"/>s over <see cref="NetworkStream"/> (.NET's own async I/O, on the thread
/// pool, one task per end). TLS 1.3, AES-GCM as negotiated, 64 KiB writes.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/Reactor.Benchmarks -- --filter '*TlsBulkTransfer*' --job short --inProcess</c>.
/// </remarks>
[MemoryDiagnoser]
public class TlsBulkTransferBenchmarks
{
    private const int ChunkSize = 64 * 1024;

    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly byte[] _readBuffer = new byte[ChunkSize];
    private ReactorLoop _reactor = null!;
    private Sink _sink = null!;
    private Source _source = null!;
    private ReactorLoop _serverReactor = null!;
    private Thread _serverThread = null!;
    private Sink _remoteSink = null!;
    private Source _remoteSource = null!;
    private Socket _listener = null!;
    private SslStream _plainClient = null!;
    private SslStream _plainServer = null!;

    /// <summary>Bytes moved per operation.</summary>
    [Params(16 * 1024 * 1024)]
    public int Payload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_chunk);
        SetupReactor();
        SetupTwoReactors();
        SetupSslStreams();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _source.Transport.LoseConnection();
        for (var i = 0; i < 100 && _sink.Connected; i++) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        _reactor.Dispose();
        _serverReactor.CallFromThread(_serverReactor.Stop);
        _serverThread.Join();
        _serverReactor.Dispose();
        _plainClient.Dispose();
        _plainServer.Dispose();
        _listener.Dispose();
    }

    /// <summary>The reactor's TLS layer: client and server on one reactor thread.</summary>
    [Benchmark(Baseline = true)]
    public long ReactorTls()
    {
        var target = _sink.Received + Payload;
        _source.Send(Payload);
        while (_sink.Received < target) _reactor.Iterate(TimeSpan.FromMilliseconds(50));
        return _sink.Received;
    }

    /// <summary>The reactor's TLS layer: the client on this thread's reactor, the server on another reactor's thread.</summary>
    [Benchmark]
    public long ReactorTlsTwoLoops()
    {
        var target = _remoteSink.Received + Payload;
        _remoteSource.Send(Payload);
        while (_remoteSink.Received < target) _reactor.Iterate(TimeSpan.FromMilliseconds(1));
        return _remoteSink.Received;
    }

    /// <summary>Two SslStreams over NetworkStream on loopback, one task writing, one reading.</summary>
    [Benchmark]
    public async Task<long> SslStreamOnNetworkStream()
    {
        var writer = WritePlainAsync();
        long received = 0;
        while (received < Payload)
        {
            var n = await _plainServer.ReadAsync(_readBuffer.AsMemory(0, (int)Math.Min(ChunkSize, Payload - received)));
            if (n == 0) throw new InvalidOperationException("The SslStream closed early.");
            received += n;
        }
        await writer;
        return received;
    }

    private async Task WritePlainAsync()
    {
        for (var sent = 0; sent < Payload; sent += ChunkSize)
        {
            await _plainClient.WriteAsync(_chunk.AsMemory(0, Math.Min(ChunkSize, Payload - sent)));
        }
    }

    private void SetupReactor()
    {
        _reactor = ReactorLoop.Create();
        _sink = new Sink();
        var serverOptions = new TlsServerOptions(BenchmarkCertificate.Server) { MinimumProtocolVersion = SslProtocols.Tls13 };
        var port = _reactor.ListenSsl(0, Factory.ForProtocol(() => _sink), serverOptions, @interface: "127.0.0.1");
        _source = new Source(_chunk);
        var clientOptions = new TlsClientOptions { UnsafeSkipCertificateVerification = true, MinimumProtocolVersion = SslProtocols.Tls13 };
        _reactor.ConnectSsl("127.0.0.1", ((IPEndPoint)port.GetHost()).Port, new ClientFactory(() => _source), clientOptions);
        for (var i = 0; i < 500 && !(_source.Ready && _sink.Connected); i++) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        if (!_source.Ready) throw new InvalidOperationException("The reactor's TLS handshake did not complete.");
    }

    private void SetupTwoReactors()
    {
        _serverReactor = ReactorLoop.Create();
        _remoteSink = new Sink();
        var serverOptions = new TlsServerOptions(BenchmarkCertificate.Server) { MinimumProtocolVersion = SslProtocols.Tls13 };
        var port = _serverReactor.ListenSsl(0, Factory.ForProtocol(() => _remoteSink), serverOptions, @interface: "127.0.0.1");
        _serverThread = new Thread(_serverReactor.Run) { IsBackground = true, Name = "server reactor" };
        _serverThread.Start();
        _remoteSource = new Source(_chunk);
        var clientOptions = new TlsClientOptions { UnsafeSkipCertificateVerification = true, MinimumProtocolVersion = SslProtocols.Tls13 };
        _reactor.ConnectSsl("127.0.0.1", ((IPEndPoint)port.GetHost()).Port, new ClientFactory(() => _remoteSource), clientOptions);
        for (var i = 0; i < 500 && !_remoteSource.Ready; i++) _reactor.Iterate(TimeSpan.FromMilliseconds(10));
        if (!_remoteSource.Ready) throw new InvalidOperationException("The two-reactor TLS handshake did not complete.");
    }

    private void SetupSslStreams()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(_listener.LocalEndPoint!);
        var server = _listener.Accept();
        _plainClient = new SslStream(new NetworkStream(client, ownsSocket: true));
        _plainServer = new SslStream(new NetworkStream(server, ownsSocket: true));
        var serverAuth = _plainServer.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = BenchmarkCertificate.Server,
            EnabledSslProtocols = SslProtocols.Tls13,
        });
        _plainClient.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).GetAwaiter().GetResult();
        serverAuth.GetAwaiter().GetResult();
    }

    /// <summary>Counts what arrives.</summary>
    private sealed class Sink : Protocol
    {
        private long _received;

        /// <summary>Read from the benchmark thread while the server reactor's thread counts.</summary>
        public long Received => Volatile.Read(ref _received);

        public override void DataReceived(ReadOnlySpan<byte> data) => Volatile.Write(ref _received, _received + data.Length);
    }

    /// <summary>Writes a given amount as a push producer, 64 KiB at a time, pausing when the transport is full.</summary>
    private sealed class Source(byte[] chunk) : Protocol, IPushProducer, IHandshakeListener
    {
        private long _remaining;
        private bool _paused;

        public bool Ready { get; private set; }

        public void HandshakeCompleted()
        {
            Ready = true;
            Transport.RegisterProducer(this, streaming: true);
        }

        public void Send(long count)
        {
            _remaining += count;
            Produce();
        }

        public void PauseProducing() => _paused = true;

        public void ResumeProducing()
        {
            _paused = false;
            Produce();
        }

        public void StopProducing() => _remaining = 0;

        private void Produce()
        {
            while (!_paused && _remaining > 0)
            {
                var n = (int)Math.Min(chunk.Length, _remaining);
                _remaining -= n;
                Transport.Write(chunk.AsSpan(0, n));
            }
        }
    }
}
