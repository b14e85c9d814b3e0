using System.Net;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;
using Reactor.Selectors;

namespace Reactor.Tests.Net.Stream;

/// <summary>
/// The stream transport's lower I/O seam (issue 18, docs/design/stream-io-seam.md), pull side: a
/// family's ReceiveSome / SendSome / SendGathered are the only way its bytes move, so nothing above
/// them calls recv, send or writev on the descriptor.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class StreamIoSeamTests(SelectorKind kind)
{
    private static readonly IPEndPoint Nowhere = new(IPAddress.Loopback, 1);
    private ReactorLoop _reactor = null!;

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = new CapturingLogger() });

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void EveryByteOfAConnectionMovesThroughTheFamilysSeam()
    {
        var (near, far) = SocketPair();
        var syscalls = new MovingSyscalls();
        var transport = new SeamTransport(new SeamHost((ITransportHost)_reactor, syscalls), near);
        var local = new RecordingProtocol();
        transport.Start(local);
        var peer = new RecordingProtocol();
        new TcpConnection((ITransportHost)_reactor, far, Nowhere).Start(peer);

        // Gathered: three segments' worth of small writes go out at the flush with writev.
        transport.WriteThroughThreshold = int.MaxValue;
        var expected = new List<byte>();
        for (var i = 0; i < 3 * OutputSegment.Size / 1000; i++)
        {
            var chunk = Enumerable.Range(expected.Count, 1000).Select(n => NetTesting.PatternAt(n)).ToArray();
            expected.AddRange(chunk);
            transport.Write(chunk);
        }
        _reactor.RunUntil(() => peer.Received.Length == expected.Count, "the gathered writes");
        // Written through: straight to SendSome from Write.
        transport.WriteThroughThreshold = 0;
        transport.Write("tail"u8);
        expected.AddRange("tail"u8.ToArray());
        peer.Transport.Write("pong"u8);
        _reactor.RunUntil(() => peer.Received.Length == expected.Count && local.Received.Length == 4, "the write-through and the reply");

        Assert.That(peer.Received.ToArray(), Is.EqualTo(expected.ToArray()));
        Assert.That(local.Received.ToArray(), Is.EqualTo("pong"u8.ToArray()));
        Assert.That(transport.Receives, Is.GreaterThan(0), "receives through ReceiveSome");
        Assert.That(transport.Sends, Is.GreaterThan(0), "sends through SendSome");
        Assert.That(transport.GatheredSends, Is.GreaterThan(0), "gathered sends through SendGathered");
        Assert.That(syscalls.MovedOn(near), Is.Zero, "recv/send/writev on the descriptor from above the seam");
        transport.LoseConnection();
        _reactor.RunUntil(() => local.IsLost && peer.IsLost, "both ends closed");
    }

    [Test]
    public void WhatAReceiveOverrideReturnsIsWhatTheProtocolSees()
    {
        var (near, far) = SocketPair();
        var transport = new SeamTransport((ITransportHost)_reactor, near) { Rewrite = static b => (byte)char.ToUpperInvariant((char)b) };
        var local = new RecordingProtocol();
        transport.Start(local);
        var peer = new RecordingProtocol();
        new TcpConnection((ITransportHost)_reactor, far, Nowhere).Start(peer);

        peer.Transport.Write("shout"u8);
        _reactor.RunUntil(() => local.Received.Length == 5, "the bytes");
        Assert.That(local.Received.ToArray(), Is.EqualTo("SHOUT"u8.ToArray()));
        peer.Transport.LoseConnection();
        _reactor.RunUntil(() => local.IsLost, "the peer's FIN through the seam");
        Assert.That(local.LostReason!.Value, Is.TypeOf<ConnectionDone>());
    }

    internal static (int Near, int Far) SocketPair()
    {
        Assert.That(LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_STREAM, out var near, out var far, out var errno), Is.Zero, errno.ToString());
        return (near, far);
    }

    /// <summary>A family that moves its bytes itself (as UNIX does with recvmsg/sendmsg), counting each call.</summary>
    // A family that overrides the pull side opts out of a completion driver (as UNIX does), so on
    // io_uring too its bytes move through these overrides.
    private sealed unsafe class SeamTransport(ITransportHost host, int fd) : StreamTransport(host, fd, readinessOnly: true)
    {
        public int Receives;
        public int Sends;
        public int GatheredSends;
        public Func<byte, byte>? Rewrite;

        public override EndPoint GetPeer() => Nowhere;

        public override EndPoint GetHost() => Nowhere;

        protected override nint ReceiveSome(Span<byte> buffer, out Errno errno)
        {
            Receives++;
            nint received;
            fixed (byte* p = buffer) received = LibcSyscalls.Instance.Recv(FileDescriptor, p, buffer.Length, out errno);
            if (Rewrite is { } rewrite)
            {
                for (var i = 0; i < received; i++) buffer[i] = rewrite(buffer[i]);
            }
            return received;
        }

        protected override nint SendSome(ReadOnlySpan<byte> data, out Errno errno)
        {
            Sends++;
            fixed (byte* p = data) return LibcSyscalls.Instance.Send(FileDescriptor, p, data.Length, out errno);
        }

        protected override nint SendGathered(ReadOnlySpan<IoVec> vectors, out Errno errno)
        {
            GatheredSends++;
            fixed (IoVec* p = vectors) return LibcSyscalls.Instance.Writev(FileDescriptor, p, vectors.Length, out errno);
        }
    }

    /// <summary>Counts the byte-moving calls made through the host's seam, per descriptor.</summary>
    private sealed unsafe class MovingSyscalls() : ForwardingSyscalls(LibcSyscalls.Instance)
    {
        private readonly Dictionary<int, int> _moves = new();

        public int MovedOn(int fd) => _moves.GetValueOrDefault(fd);

        public override nint Recv(int fd, byte* buffer, nint length, out Errno errno) => Count(fd, Inner.Recv(fd, buffer, length, out errno));

        public override nint Send(int fd, byte* buffer, nint length, out Errno errno) => Count(fd, Inner.Send(fd, buffer, length, out errno));

        public override nint Writev(int fd, IoVec* vectors, int count, out Errno errno) => Count(fd, Inner.Writev(fd, vectors, count, out errno));

        private nint Count(int fd, nint result)
        {
            _moves[fd] = MovedOn(fd) + 1;
            return result;
        }
    }
}
