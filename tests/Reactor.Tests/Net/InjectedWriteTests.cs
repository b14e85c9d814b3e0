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
    private sealed unsafe class ChoppingSyscalls(ISyscalls real, int maxBytesPerCall) : ISyscalls
    {
        private int _calls;
        public int Interrupted;
        public int Refused;
        public int ShortWrites;
        public bool UsedWritev;

        public nint Send(int fd, byte* buffer, nint length, out Errno errno)
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
                    return real.Send(fd, buffer, take, out errno);
            }
        }

        public nint Writev(int fd, IoVec* vectors, int count, out Errno errno)
        {
            UsedWritev = true;
            // Only part of the first vector: the transport must carry on from the right byte.
            return Send(fd, vectors[0].Base, (nint)vectors[0].Length, out errno);
        }

        public int Accept(int fd, byte* address, int* addressLength, out Errno errno) => real.Accept(fd, address, addressLength, out errno);
        public nint Read(int fd, byte* buffer, nint count, out Errno errno) => real.Read(fd, buffer, count, out errno);
        public nint Write(int fd, byte* buffer, nint count, out Errno errno) => real.Write(fd, buffer, count, out errno);
        public nint Readv(int fd, IoVec* vectors, int count, out Errno errno) => real.Readv(fd, vectors, count, out errno);
        public int Close(int fd, out Errno errno) => real.Close(fd, out errno);
        public int SetNonBlocking(int fd, bool nonBlocking, out Errno errno) => real.SetNonBlocking(fd, nonBlocking, out errno);
        public int Fcntl(int fd, int command, nint argument, out Errno errno) => real.Fcntl(fd, command, argument, out errno);
        public int CreatePipe(out int readFd, out int writeFd, out Errno errno) => real.CreatePipe(out readFd, out writeFd, out errno);
        public int CreateEventFd(out Errno errno) => real.CreateEventFd(out errno);
        public nint Recv(int fd, byte* buffer, nint length, out Errno errno) => real.Recv(fd, buffer, length, out errno);
        public int Shutdown(int fd, SocketShutdown how, out Errno errno) => real.Shutdown(fd, how, out errno);
        public int GetSockOpt(int fd, int level, int name, void* value, int* length, out Errno errno) => real.GetSockOpt(fd, level, name, value, length, out errno);
        public int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno) => real.SetSockOpt(fd, level, name, value, length, out errno);
        public int GetSocketError(int fd, out Errno pending, out Errno errno) => real.GetSocketError(fd, out pending, out errno);
        public int CreateSocketPair(int type, out int fd0, out int fd1, out Errno errno) => real.CreateSocketPair(type, out fd0, out fd1, out errno);
        public int GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno) => real.GetOpenFileLimit(out soft, out hard, out errno);
        public int SetOpenFileLimit(ulong soft, ulong hard, out Errno errno) => real.SetOpenFileLimit(soft, hard, out errno);
        public int EpollCreate(out Errno errno) => real.EpollCreate(out errno);
        public int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno) => real.EpollCtl(epfd, operation, fd, events, data, out errno);
        public int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno) => real.EpollWait(epfd, events, maxEvents, timeoutMilliseconds, out errno);
        public int Poll(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno) => real.Poll(fds, count, timeoutMilliseconds, out errno);
        public int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout, out Errno errno) => real.Select(nfds, read, write, except, timeout, out errno);
        public bool IsKqueueAvailable => real.IsKqueueAvailable;
        public KeventAbi KeventAbi => real.KeventAbi;
        public int Kqueue(out Errno errno) => real.Kqueue(out errno);
        public int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno) => real.Kevent(kq, changes, changeCount, events, eventCount, timeout, out errno);
        public nint SendFile(int outFd, int inFd, long* offset, nuint count, out Errno errno) => real.SendFile(outFd, inFd, offset, count, out errno);
        public int Socket(int domain, int type, int protocol, out Errno errno) => real.Socket(domain, type, protocol, out errno);
        public int Bind(int fd, byte* address, int length, out Errno errno) => real.Bind(fd, address, length, out errno);
        public int Listen(int fd, int backlog, out Errno errno) => real.Listen(fd, backlog, out errno);
        public int Connect(int fd, byte* address, int length, out Errno errno) => real.Connect(fd, address, length, out errno);
        public int GetSockName(int fd, byte* address, int* length, out Errno errno) => real.GetSockName(fd, address, length, out errno);
        public int GetPeerName(int fd, byte* address, int* length, out Errno errno) => real.GetPeerName(fd, address, length, out errno);
        public int Open(string path, int flags, int mode, out Errno errno) => real.Open(path, flags, mode, out errno);
        public int ChangeMode(string path, int mode, out Errno errno) => real.ChangeMode(path, mode, out errno);
        public int ChangeDescriptorMode(int fd, int mode, out Errno errno) => real.ChangeDescriptorMode(fd, mode, out errno);
        public int Flock(int fd, int operation, out Errno errno) => real.Flock(fd, operation, out errno);
        public int Ftruncate(int fd, long length, out Errno errno) => real.Ftruncate(fd, length, out errno);
        public int ProbeProcess(int pid, out Errno errno) => real.ProbeProcess(pid, out errno);
    }
}
