using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;
using Reactor.Time;

namespace Reactor.Tests.Net;

/// <summary>
/// The transport's write path against a kernel that misbehaves on purpose, through the syscall
/// seam (issue 2 §2): every send(2)/writev(2) of the server's connection is, in turn, interrupted
/// (EINTR), refused (EAGAIN) or a short write of a few bytes. Every byte must still arrive, in
/// order, and LoseConnection must still end in ConnectionDone after the last one.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class InjectedWriteTests(SelectorKind kind)
{
    [Test]
    public void InterruptedRefusedAndShortWritesStillDeliverEveryByteInOrder()
    {
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var syscalls = new ChoppingSyscalls(LibcSyscalls.Instance, maxBytesPerCall: 61);
        var host = new SeamHost((ITransportHost)reactor, syscalls);

        // One large write (taken straight to the kernel when nothing is queued) and many small ones
        // (queued across more than one 16 KiB output segment, so gathered into writev), then a clean close that must wait for all of them.
        var payload = new byte[40 * 1024];
        for (var i = 0; i < payload.Length; i++) payload[i] = NetTesting.PatternAt(i);
        RecordingProtocol? server = null;
        var port = TcpPort.Listen(host, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnConnectionMade = p =>
            {
                p.Transport.Write(payload.AsSpan(0, 8 * 1024));
                for (var offset = 8 * 1024; offset < payload.Length; offset += 512) p.Transport.Write(payload.AsSpan(offset, 512));
                p.Transport.LoseConnection();
            },
        }), new IPEndPoint(IPAddress.Loopback, 0), 16);

        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)port.GetHost()).Port, new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.IsLost && server is { IsLost: true }, "every byte and the close");

        Assert.That(client.Received.ToArray(), Is.EqualTo(payload));
        Assert.That(client.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(server!.LostReason!.Value, Is.InstanceOf<ConnectionDone>());
        Assert.That(syscalls.Interrupted, Is.GreaterThan(0), "EINTR was injected");
        Assert.That(syscalls.Refused, Is.GreaterThan(0), "EAGAIN was injected");
        Assert.That(syscalls.ShortWrites, Is.GreaterThan(0), "short writes were injected");
        Assert.That(syscalls.UsedWritev, Is.True, "the gathered path was exercised too");
        Assert.That(logger.Errors, Is.Empty);
        port.StopListening();
    }

    /// <summary>The real kernel, except that each send/writev is in turn EINTR, EAGAIN or short.</summary>
    private sealed unsafe class ChoppingSyscalls(ISyscalls real, int maxBytesPerCall) : ForwardingSyscalls(real)
    {
        private int _calls;
        public int Interrupted;
        public int Refused;
        public int ShortWrites;
        public bool UsedWritev;

        public override nint Send(int fd, byte* buffer, nint length, out Errno errno)
        {
            switch (_calls++ % 3)
            {
                case 0:
                    Interrupted++;
                    errno = Errno.EINTR;
                    return -1;
                case 1:
                    Refused++;
                    errno = Errno.EAGAIN;
                    return -1;
                default:
                    var take = Math.Min(length, maxBytesPerCall);
                    if (take < length) ShortWrites++;
                    return Inner.Send(fd, buffer, take, out errno);
            }
        }

        public override nint Writev(int fd, IoVec* vectors, int count, out Errno errno)
        {
            UsedWritev = true;
            // Only part of the first vector: the transport must carry on from the right byte.
            return Send(fd, vectors[0].Base, (nint)vectors[0].Length, out errno);
        }
    }
}
