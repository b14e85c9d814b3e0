using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net;

/// <summary>
/// EMFILE / ENFILE on accept, injected through the syscall seam: logged, accepting paused and
/// resumed from a timer (no busy loop), and existing connections unaffected.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class AcceptExhaustionTests(SelectorKind kind)
{
    [TestCase(24)]
    [TestCase(23)]
    public void AcceptingPausesOnDescriptorExhaustionAndResumes(int linuxErrno)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno numbers are Linux's.");
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var host = (ITransportHost)reactor;
        var syscalls = new FailingAccept(LibcSyscalls.Instance);
        var port = TcpPort.Listen(host, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 128, syscalls);
        var portNumber = ((IPEndPoint)port.GetHost()).Port;
        // Long enough that the pause cannot end by itself during the test: it is ended below by hand.
        port.AcceptRetryDelay = TimeSpan.FromHours(1);

        // A connection made before the trouble.
        var existing = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => existing));
        reactor.RunUntil(() => existing.Connected && syscalls.Accepted == 1, "the first connection");

        // The process runs out of descriptors: the next accepts fail.
        syscalls.FailWith = new Errno(linuxErrno);
        var late = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("late"u8) };
        reactor.ConnectTcp("127.0.0.1", portNumber, new RecordingClientFactory(() => late));
        reactor.RunUntil(() => port.AcceptingPaused, "accepting to pause");
        var failedCalls = syscalls.Failed;

        // While paused: no accept calls at all (no busy loop), and the existing connection still echoes.
        existing.Transport.Write("still here"u8);
        reactor.RunUntil(() => existing.Received.Length == 10, "the existing connection's echo");
        Assert.That(syscalls.Failed, Is.EqualTo(failedCalls), "nothing retries accept while paused");
        Assert.That(logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("pausing accepting")), Is.True, "the exhaustion is logged");

        // Descriptors are available again: the retry timer resumes accepting and the waiting client gets in.
        syscalls.FailWith = null;
        var retry = reactor.GetDelayedCalls().Single(c => c.GetTime() > reactor.Now + TimeSpan.FromMinutes(30));
        retry.Reset(TimeSpan.Zero);
        reactor.RunUntil(() => late.Received.Length == 4, "the late client's echo");
        Assert.That(port.AcceptPauses, Is.GreaterThanOrEqualTo(1));
        Assert.That(existing.Connected, Is.True);
        port.StopListening();
    }

    /// <summary>
    /// EPERM (a firewall refused one client) and ECONNABORTED (a client gave up in the backlog) cost that
    /// one client only: the accept loop goes on in the same burst and logs nothing. TCP and UNIX share the loop
    /// (AcceptingPort), so this holds for both.
    /// </summary>
    [TestCase(1)]
    [TestCase(103)]
    public void AOneClientAcceptErrorIsSkippedAndTheNextClientIsAccepted(int linuxErrno)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("The injected errno numbers are Linux's.");
        var logger = new CapturingLogger();
        using var reactor = NetTesting.CreateReactor(kind, logger);
        var syscalls = new FailingAccept(LibcSyscalls.Instance) { FailOnceWith = new Errno(linuxErrno) };
        var port = TcpPort.Listen((ITransportHost)reactor, Factory.For<EchoProtocol>(), new IPEndPoint(IPAddress.Loopback, 0), 128, syscalls);

        var client = new RecordingProtocol { OnConnectionMade = p => p.Transport.Write("ping"u8) };
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)port.GetHost()).Port, new RecordingClientFactory(() => client));
        reactor.RunUntil(() => client.Received.Length == 4, "the echo after the skipped accept error");

        Assert.Multiple(() =>
        {
            Assert.That(syscalls.Failed, Is.EqualTo(1));
            Assert.That(port.AcceptingPaused, Is.False);
            Assert.That(logger.Entries.Any(e => e.Level >= LogLevel.Warning), Is.False, "a one-client error is not logged");
        });
        port.StopListening();
    }

    /// <summary>The real kernel, except that accept(2) fails on demand.</summary>
    private sealed unsafe class FailingAccept(ISyscalls real) : ISyscalls
    {
        public Errno? FailWith;
        public Errno? FailOnceWith;
        public int Failed;
        public int Accepted;

        public int Accept(int fd, byte* address, int* addressLength, out Errno errno)
        {
            if (FailOnceWith is { } once)
            {
                FailOnceWith = null;
                Failed++;
                errno = once;
                return -1;
            }
            if (FailWith is { } failure)
            {
                Failed++;
                errno = failure;
                return -1;
            }
            var result = real.Accept(fd, address, addressLength, out errno);
            if (result >= 0) Accepted++;
            return result;
        }

        public nint Read(int fd, byte* buffer, nint count, out Errno errno) => real.Read(fd, buffer, count, out errno);
        public nint Write(int fd, byte* buffer, nint count, out Errno errno) => real.Write(fd, buffer, count, out errno);
        public nint Readv(int fd, IoVec* vectors, int count, out Errno errno) => real.Readv(fd, vectors, count, out errno);
        public nint Writev(int fd, IoVec* vectors, int count, out Errno errno) => real.Writev(fd, vectors, count, out errno);
        public int Close(int fd, out Errno errno) => real.Close(fd, out errno);
        public int SetNonBlocking(int fd, bool nonBlocking, out Errno errno) => real.SetNonBlocking(fd, nonBlocking, out errno);
        public int Fcntl(int fd, int command, nint argument, out Errno errno) => real.Fcntl(fd, command, argument, out errno);
        public int CreatePipe(out int readFd, out int writeFd, out Errno errno) => real.CreatePipe(out readFd, out writeFd, out errno);
        public int CreateEventFd(out Errno errno) => real.CreateEventFd(out errno);
        public nint Recv(int fd, byte* buffer, nint length, out Errno errno) => real.Recv(fd, buffer, length, out errno);
        public nint Send(int fd, byte* buffer, nint length, out Errno errno) => real.Send(fd, buffer, length, out errno);
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
