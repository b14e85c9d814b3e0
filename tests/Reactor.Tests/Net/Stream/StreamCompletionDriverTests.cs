using System.Net;
using System.Runtime.InteropServices;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Stream;

/// <summary>
/// The push side of the stream I/O seam (docs/design/stream-io-seam.md): a completion driver
/// (io_uring, IOCP) arms receives and submits sends, and reports back; the transport means the same
/// as on the readiness path, keeps one send in flight, and never recycles memory the kernel may still
/// be reading.
/// </summary>
public sealed class StreamCompletionDriverTests
{
    private static readonly IPEndPoint Nowhere = new(IPAddress.Loopback, 1);
    private ReactorLoop _reactor = null!;
    private RecordingDriver _driver = null!;
    private CompletionSeamHost _host = null!;

    [SetUp]
    public void SetUp()
    {
        _reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger() });
        _driver = new RecordingDriver();
        _host = new CompletionSeamHost((ITransportHost)_reactor, LibcSyscalls.Instance, _driver);
    }

    [TearDown]
    public void TearDown()
    {
        _driver.Dispose();
        _reactor.Dispose();
    }

    [Test]
    public void ReceivesArePushedInAndMeanWhatARecvMeans()
    {
        var (transport, protocol) = Connect();
        Assert.That(_driver.Receiving, Is.True, "Start arms receiving");
        Assert.That(_reactor.GetReaders(), Does.Not.Contain(transport), "no selector interest for a driven connection");

        transport.ReceiveCompleted("hello"u8);
        Assert.That(protocol.Received.ToArray(), Is.EqualTo("hello"u8.ToArray()));

        transport.PauseProducing();
        Assert.That(_driver.Receiving, Is.False, "a pause stops receiving");
        transport.ResumeProducing();
        Assert.That(_driver.Receiving, Is.True, "a resume arms it again");

        transport.ReceiveCompleted(ReadOnlySpan<byte>.Empty);
        Assert.That(protocol.LostReason?.Value, Is.TypeOf<ConnectionDone>(), "an empty completion is the peer's FIN");
        Assert.That(_driver.Closed, Does.Contain(transport.Fd0), "the driver closes the descriptor");
    }

    [Test]
    public void AFailedReceiveEndsTheConnectionWithTheMappedError()
    {
        var (transport, protocol) = Connect();
        transport.ReceiveFailed(Errno.EAGAIN);
        Assert.That(protocol.IsLost, Is.False, "EAGAIN ends nothing");
        transport.ReceiveFailed(Errno.ECONNRESET);
        Assert.That(protocol.LostReason?.Value, Is.TypeOf<ConnectionLost>());
    }

    [Test]
    public void OneSendIsInFlightAndBytesLeaveOnlyWhenTheDriverSaysSo()
    {
        var (transport, _) = Connect();
        transport.WriteThroughThreshold = int.MaxValue; // gathered: submitted at the end of the iteration, not written through
        transport.Write("abc"u8);
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(_driver.Submitted, Has.Count.EqualTo(1));
        Assert.That(_driver.Submitted[0], Is.EqualTo("abc"u8.ToArray()));

        transport.Write("def"u8);
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(_driver.Submitted, Has.Count.EqualTo(1), "no second send while one is in flight");
        Assert.That(transport.PendingBytes, Is.EqualTo(6), "nothing counts as sent before the report");

        transport.SendCompleted(2);
        Assert.That(_driver.Submitted, Has.Count.EqualTo(2), "the report submits what is left");
        Assert.That(_driver.Submitted[1], Is.EqualTo("cdef"u8.ToArray()));
        transport.SendCompleted(4);
        Assert.That(transport.PendingBytes, Is.Zero);
        Assert.That(_driver.Submitted, Has.Count.EqualTo(2), "nothing left to submit");
    }

    [Test]
    public void LoseConnectionFinishesWhenTheDriverReportsTheLastByte()
    {
        var (transport, protocol) = Connect();
        transport.Write("bye"u8);
        transport.LoseConnection();
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(protocol.IsLost, Is.False, "the bytes are still in flight");
        transport.SendCompleted(3);
        Assert.That(protocol.LostReason?.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(_driver.Closed, Does.Contain(transport.Fd0));
    }

    [Test]
    public void AFailedSendEndsTheConnectionWithTheMappedError()
    {
        var (transport, protocol) = Connect();
        transport.Write("x"u8);
        _reactor.Iterate(TimeSpan.Zero);
        transport.SendFailed(Errno.EPIPE);
        Assert.That(protocol.LostReason?.Value, Is.TypeOf<ConnectionLost>());
    }

    [Test]
    public unsafe void MemoryAnAbortedSendPointsAtIsNotRecycledUntilTheDriverReports()
    {
        var (aborted, abortedProtocol) = Connect();
        var payload = Enumerable.Repeat((byte)'A', 100).ToArray();
        aborted.Write(payload);
        _reactor.Iterate(TimeSpan.Zero);
        var inFlight = _driver.LastVectors[0];

        aborted.AbortConnection();
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(abortedProtocol.LostReason?.Value, Is.TypeOf<ConnectionAborted>());

        // Another connection writes now: had the aborted output gone back to the pool, it would reuse it.
        var (other, _) = Connect();
        other.Write(Enumerable.Repeat((byte)'B', 100).ToArray());
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(_driver.LastVectors[0].Base == inFlight.Base, Is.False, "the other connection got other memory");
        Assert.That(new ReadOnlySpan<byte>(inFlight.Base, (int)inFlight.Length).ToArray(), Is.EqualTo(payload), "the kernel still reads the aborted bytes");

        aborted.SendFailed(new Errno(125)); // ECANCELED on Linux: the driver cancelled the send at close
        Assert.That(aborted.PendingBytes, Is.Zero, "released once the driver reported");
    }

    private (DrivenTransport Transport, RecordingProtocol Protocol) Connect()
    {
        var (near, far) = StreamIoSeamTests.SocketPair();
        _driver.Own(far);
        var transport = new DrivenTransport(_host, near);
        var protocol = new RecordingProtocol();
        transport.Start(protocol);
        return (transport, protocol);
    }

    private sealed class DrivenTransport(ITransportHost host, int fd) : StreamTransport(host, fd)
    {
        public int Fd0 { get; } = fd;

        public override EndPoint GetPeer() => Nowhere;

        public override EndPoint GetHost() => Nowhere;
    }

    /// <summary>Records what the transport asks for; the test plays the kernel's reports.</summary>
    private sealed class RecordingDriver : IStreamCompletionDriver, IDisposable
    {
        private readonly List<int> _owned = new();

        public bool Receiving { get; private set; }

        public List<byte[]> Submitted { get; } = new();

        public IoVec[] LastVectors { get; private set; } = [];

        public List<int> Closed { get; } = new();

        public void Own(int fd) => _owned.Add(fd);

        public void StartReceiving(StreamTransport transport, int fd) => Receiving = true;

        public void StopReceiving(StreamTransport transport, int fd) => Receiving = false;

        public unsafe void SubmitSend(StreamTransport transport, int fd, ReadOnlySpan<IoVec> vectors)
        {
            LastVectors = vectors.ToArray();
            var bytes = new List<byte>();
            foreach (var v in vectors) bytes.AddRange(new ReadOnlySpan<byte>(v.Base, (int)v.Length).ToArray());
            Submitted.Add(bytes.ToArray());
        }

        public void Close(StreamTransport transport, int fd)
        {
            Closed.Add(fd);
            LibcSyscalls.Instance.Close(fd, out _);
        }

        public void Dispose()
        {
            foreach (var fd in _owned) LibcSyscalls.Instance.Close(fd, out _);
        }
    }
}
