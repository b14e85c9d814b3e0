using System.Security.Cryptography;
using Reactor.Core;
using Reactor.Net;
using Reactor.Net.Stream;
using Reactor.Native;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Core;
using Reactor.Tests.Net.Tls.Support;
using static Reactor.Testing.DeferredAssert;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>
/// Issue 19.11: Twisted's FileSender (the first five mirror twisted/test/test_protocols.py
/// FileSenderTests), then real connections: sendfile(2) on plain TCP, read-and-write under TLS.
/// </summary>
public sealed class FileSenderTests
{
    // test_interface, test_producerRegistered
    [Test]
    public void ItRegistersItselfAsAPullProducer()
    {
        var sender = new FileSender();
        var consumer = new StringTransport();
        sender.BeginFileTransfer(new MemoryStream("Test content"u8.ToArray()), consumer);
        Assert.That(consumer.Producer, Is.SameAs(sender));
        Assert.That(consumer.Streaming, Is.False);
        Assert.That(sender, Is.InstanceOf<IPullProducer>());
    }

    // test_transfer
    [Test]
    public void ItSendsTheFileAndFiresWithTheLastByteSent()
    {
        var sender = new FileSender();
        var consumer = new StringTransport();
        var d = sender.BeginFileTransfer(new MemoryStream("Test content"u8.ToArray()), consumer);
        sender.ResumeProducing();
        AssertNoResult(d);
        sender.ResumeProducing(); // reads nothing more: the end
        Assert.That(SuccessResultOf(d), Is.EqualTo("t"u8.ToArray()));
        Assert.That(consumer.ValueAsString(), Is.EqualTo("Test content"));
        Assert.That(consumer.Producer, Is.Null, "it unregisters at the end");
    }

    // test_transferMultipleChunks
    [Test]
    public void ItSendsOneChunkPerResume()
    {
        var sender = new FileSender { ChunkSize = 4 };
        var consumer = new StringTransport();
        var d = sender.BeginFileTransfer(new MemoryStream("Test content"u8.ToArray()), consumer);
        sender.ResumeProducing();
        Assert.That(consumer.ValueAsString(), Is.EqualTo("Test"));
        sender.ResumeProducing();
        sender.ResumeProducing();
        Assert.That(consumer.ValueAsString(), Is.EqualTo("Test content"));
        sender.ResumeProducing();
        Assert.That(SuccessResultOf(d), Is.EqualTo("t"u8.ToArray()));
    }

    // test_transferWithTransform
    [Test]
    public void ATransformChangesEachChunk()
    {
        var sender = new FileSender { ChunkSize = 4 };
        var consumer = new StringTransport();
        var d = sender.BeginFileTransfer(new MemoryStream("Test content"u8.ToArray()), consumer,
            chunk => System.Text.Encoding.ASCII.GetBytes(System.Text.Encoding.ASCII.GetString(chunk.Span).ToUpperInvariant()));
        for (var i = 0; i < 4; i++) sender.ResumeProducing();
        Assert.That(consumer.ValueAsString(), Is.EqualTo("TEST CONTENT"));
        Assert.That(SuccessResultOf(d), Is.EqualTo("T"u8.ToArray()));
    }

    // test_abortedTransfer
    [Test]
    public void StoppingFailsTheDeferred()
    {
        var sender = new FileSender();
        var d = sender.BeginFileTransfer(new MemoryStream("Test content"u8.ToArray()), new StringTransport());
        sender.StopProducing();
        Assert.That(FailureResultOf(d, typeof(InvalidOperationException)).Value.Message, Is.EqualTo("Consumer asked us to stop producing"));
    }

    [Test]
    public void AnEmptyFileFiresWithNoLastByte()
    {
        var sender = new FileSender();
        var d = sender.BeginFileTransfer(new MemoryStream(), new StringTransport());
        sender.ResumeProducing();
        Assert.That(SuccessResultOf(d), Is.Empty);
    }

    // The transfers drive a real reactor: on every backend, like the TCP fixtures.
    [TestCaseSource(typeof(Backends), nameof(Backends.Available))]
    public void PlainTcpSendsTheFileWithSendfileAndBoundedOutput(SelectorKind kind)
    {
        using var file = TempFile(3 * 1024 * 1024 + 17);
        var (received, sender, maxPending, driven) = Transfer(kind, file.Path, tls: false);
        Assert.That(received, Is.EqualTo(SHA256.HashData(File.ReadAllBytes(file.Path))), "every byte, in order");
        Assert.That(sender.BytesSent, Is.EqualTo(file.Length));
        if (driven)
        {
            // docs/design/stream-io-seam.md: no sendfile while a completion driver (io_uring) moves the bytes.
            Assert.That(sender.BytesSentWithSendFile, Is.Zero, "a driven transport reads and writes");
        }
        else if (NativePlatform.IsLinux)
        {
            Assert.That(sender.BytesSentWithSendFile, Is.GreaterThan(0), "sendfile(2) carried part of it");
        }
        Assert.That(maxPending, Is.LessThanOrEqualTo(FileSender.DefaultChunkSize), "never more than one chunk buffered in user space");
    }

    [TestCaseSource(typeof(Backends), nameof(Backends.Available))]
    public void TlsReadsAndWritesBecauseTheBytesMustBeEncrypted(SelectorKind kind)
    {
        using var file = TempFile(600 * 1024 + 5);
        var (received, sender, _, _) = Transfer(kind, file.Path, tls: true);
        Assert.That(received, Is.EqualTo(SHA256.HashData(File.ReadAllBytes(file.Path))));
        Assert.That(sender.BytesSentWithSendFile, Is.Zero);
        Assert.That(sender.BytesSent, Is.EqualTo(file.Length));
    }

    /// <summary>
    /// Serves <paramref name="path"/> with a FileSender to one client; returns the SHA-256 of what the
    /// client received, and whether the reactor's connections were moved by a completion driver.
    /// </summary>
    private static (byte[] Received, FileSender Sender, long MaxPending, bool Driven) Transfer(SelectorKind kind, string path, bool tls)
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });
        var sender = new FileSender();
        long maxPending = 0;
        byte[]? lastByte = null;
        var server = new ServingProtocol(transport =>
        {
            var stream = File.OpenRead(path);
            var done = sender.BeginFileTransfer(stream, transport);
            done.AddCallback(last =>
            {
                lastByte = last;
                stream.Dispose();
                transport.LoseConnection();
                return last;
            });
        });
        var factory = Factory.ForProtocol(() => server);
        var port = tls
            ? reactor.ListenSsl(0, factory, TlsPair.ServerOptions(), @interface: "127.0.0.1")
            : reactor.ListenTcp(0, factory, @interface: "127.0.0.1");
        // Sampled each time the client receives: what the server holds in user space meanwhile.
        var client = new HashingProtocol(() => maxPending = Math.Max(maxPending, ((IWriteBuffer)server.Transport).PendingBytes));
        if (tls) reactor.ConnectSsl("localhost", NetTesting.PortOf(port), new RecordingClientFactory(() => client), TlsPair.ClientOptions());
        else reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.Lost, "the whole file and the close");
        Assert.That(lastByte, Is.EqualTo(File.ReadAllBytes(path)[^1..]), "the Deferred fired with the last byte sent");
        var driven = ((IStreamCompletionSource)reactor).StreamDriver is not null;
        return (client.Hash.GetHashAndReset(), sender, maxPending, driven);
    }

    private static TemporaryFile TempFile(int length)
    {
        var path = Path.GetTempFileName();
        var data = new byte[length];
        for (var i = 0; i < length; i++) data[i] = NetTesting.PatternAt(i);
        File.WriteAllBytes(path, data);
        return new TemporaryFile(path, length);
    }

    private sealed record TemporaryFile(string Path, long Length) : IDisposable
    {
        public void Dispose() => File.Delete(Path);
    }

    private sealed class ServingProtocol(Action<ITransport> serve) : Protocol
    {
        public override void ConnectionMade() => serve(Transport);
    }

    private sealed class HashingProtocol(Action onData) : Protocol
    {
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public bool Lost { get; private set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            onData();
            Hash.AppendData(data);
        }

        public override void ConnectionLost(Reactor.Defer.Failure reason) => Lost = true;
    }
}
