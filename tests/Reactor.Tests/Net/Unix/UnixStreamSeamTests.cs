using System.Runtime.Versioning;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Unix;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Net.Stream;
using Reactor.Selectors;

namespace Reactor.Tests.Net.Unix;

/// <summary>
/// UNIX connections carry descriptors by overriding the stream transport's I/O seam with
/// recvmsg/sendmsg (issue 18): they stay on the readiness path even where the reactor offers a
/// completion driver, and descriptors still queued when the connection ends are reported.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public sealed class UnixStreamSeamTests(SelectorKind kind)
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
    public void DescriptorsTravelOnTheReadinessPathEvenWhereTheReactorOffersACompletionDriver()
    {
        var driver = new RefusingDriver();
        var (near, far) = StreamIoSeamTests.SocketPair();
        var sender = new UnixConnection(new CompletionSeamHost((ITransportHost)_reactor, LibcSyscalls.Instance, driver), near, UnnamedUnixEndPoint.Instance, UnnamedUnixEndPoint.Instance);
        var receiver = new UnixConnection((ITransportHost)_reactor, far, UnnamedUnixEndPoint.Instance, UnnamedUnixEndPoint.Instance);
        var sent = new RecordingStreamProtocol();
        var received = new RecordingStreamProtocol();
        sender.Start(sent);
        receiver.Start(received);
        Assert.That(LibcSyscalls.Instance.CreatePipe(out var pipeRead, out var pipeWrite, out var errno), Is.Zero, errno.ToString());
        try
        {
            sender.SendFileDescriptor(pipeRead);
            sender.Write("with it"u8);
            received.Transport.Write("back"u8);
            _reactor.RunUntil(() => received.Descriptors.Count == 1 && received.ReceivedText == "with it" && sent.ReceivedText == "back", "the descriptor, its bytes and a reply");

            Assert.That(received.BytesBeforeDescriptor, Is.EqualTo(new long[] { 0 }), "the descriptor came before its bytes");
            Assert.That(received.Descriptors[0], Is.Not.EqualTo(pipeRead), "a copy, not the sender's number");
            Assert.That(driver.Calls, Is.Zero, "the completion driver was never asked to move a UNIX connection's bytes");
            Assert.That(sender.DrivenByCompletion, Is.False);
        }
        finally
        {
            foreach (var fd in received.Descriptors) LibcSyscalls.Instance.Close(fd, out _);
            LibcSyscalls.Instance.Close(pipeRead, out _);
            LibcSyscalls.Instance.Close(pipeWrite, out _);
        }
        sender.LoseConnection();
        _reactor.RunUntil(() => sent.Lost is not null && received.Lost is not null, "both ends closed");
    }

    [Test]
    public void ADescriptorStillQueuedWhenTheConnectionEndsIsReportedNotLostSilently()
    {
        var left = new RecordingStreamProtocol();
        var right = new RecordingStreamProtocol();
        var (first, _) = _reactor.SocketPair(left, right);
        Assert.That(LibcSyscalls.Instance.CreatePipe(out var pipeRead, out var pipeWrite, out var errno), Is.Zero, errno.ToString());
        try
        {
            // No byte is written to carry it: it cannot be sent.
            first.SendFileDescriptor(pipeRead);
            first.LoseConnection();
            _reactor.RunUntil(() => left.Lost is not null && right.Lost is not null, "both ends closed");
        }
        finally
        {
            LibcSyscalls.Instance.Close(pipeRead, out _);
            LibcSyscalls.Instance.Close(pipeWrite, out _);
        }
        Assert.That(_logger.Errors.Select(e => e.Message), Has.Some.Contains("1 file descriptor(s) queued but no bytes written"));
    }

    /// <summary>A driver a UNIX connection must never use: it counts what it is asked.</summary>
    private sealed class RefusingDriver : IStreamCompletionDriver
    {
        public int Calls;

        public void StartReceiving(StreamTransport transport, int fd) => Calls++;

        public void StopReceiving(StreamTransport transport, int fd) => Calls++;

        public void SubmitSend(StreamTransport transport, int fd, ReadOnlySpan<IoVec> vectors) => Calls++;

        public void Close(StreamTransport transport, int fd) => Calls++;
    }
}
