using System.Net;
using Reactor.Core;
using Reactor.Core.Internal;
using Reactor.Native;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Native;
using Reactor.Tests.Net;
using static Reactor.Native.NativeConstants;

namespace Reactor.Tests.Core;

/// <summary>
/// Tokens in the kernel (issue 18): the reactor's slot token is the epoll data itself, a transport
/// holds its token so pausing and resuming cost one epoll_ctl each, and a report carrying the token
/// of a slot that has since been reused is dropped by its generation.
/// </summary>
[Platform("Linux")]
public sealed unsafe class DescriptorTokenTests
{
    private readonly List<int> _fds = new();

    [TearDown]
    public void TearDown() => LoopTestKit.CloseAll(_fds);

    [Test]
    public void PausingAndResumingAReadingTransportCostsOneEpollCtlEach()
    {
        var syscalls = new EpollRecorder(LibcSyscalls.Instance);
        using var reactor = ReactorLoop.Create(new ReactorOptions { SelectorFactory = () => new EpollSelector(syscalls) });
        var server = new RecordingProtocol();
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => server), @interface: "127.0.0.1");
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", NetTesting.PortOf(port), new RecordingClientFactory(() => client));
        reactor.RunUntil(() => server.ConnectionMadeCount == 1 && client.ConnectionMadeCount == 1, "connected");
        client.Transport.Write("one"u8);
        reactor.RunUntil(() => server.Received.Length == 3, "the first bytes");

        var transport = (IFileDescriptor)server.Transport;
        int fd = transport.FileDescriptor;
        long tokenInKernel = syscalls.Calls.Last(c => c.Fd == fd && c.Operation == EPOLL_CTL_ADD).Data;
        Assert.That((long)((ISlotHolder)transport).SlotToken, Is.EqualTo(tokenInKernel), "the epoll data is the slot token the transport holds");

        int before = syscalls.Calls.Count;
        server.Transport.PauseProducing();
        var pause = syscalls.Calls.Skip(before).ToList();
        before = syscalls.Calls.Count;
        server.Transport.ResumeProducing();
        var resume = syscalls.Calls.Skip(before).ToList();

        Assert.That(pause, Has.Count.EqualTo(1), "one epoll_ctl to pause");
        Assert.That(pause[0].Fd, Is.EqualTo(fd));
        Assert.That(resume, Has.Count.EqualTo(1), "one epoll_ctl to resume");
        Assert.That(resume[0].Fd, Is.EqualTo(fd));
        Assert.That(resume[0].Data, Is.EqualTo((long)((ISlotHolder)transport).SlotToken), "the new registration carries the transport's new token");

        client.Transport.Write("two"u8);
        reactor.RunUntil(() => server.Received.Length == 6, "bytes after the resume");
        Assert.That(server.Received.ToArray(), Is.EqualTo("onetwo"u8.ToArray()));
        port.StopListening();
    }

    [Test]
    public void AReportForASlotReusedByANewDescriptorIsDroppedByItsGeneration()
    {
        // A duplicate keeps the old file open, so after RemoveBeforeClose (which skips epoll_ctl DEL)
        // and close, the kernel keeps reporting the old registration with its old token. The slot is
        // reused by a new descriptor that has nothing to read: the stale reports must not reach it.
        var syscalls = new EpollRecorder(LibcSyscalls.Instance);
        using var reactor = ReactorLoop.Create(new ReactorOptions { SelectorFactory = () => new EpollSelector(syscalls) });
        (int oldFd, int oldPeer) = LoopTestKit.SocketPair(_fds);
        int duplicate = Dup(oldFd);
        var old = new ScriptedDescriptor(oldFd);
        reactor.AddReader(old);
        long staleToken = syscalls.Calls.Single(c => c.Fd == oldFd && c.Operation == EPOLL_CTL_ADD).Data;

        reactor.RemoveBeforeClose(old);
        LoopTestKit.Close(_fds, oldFd);
        (int newFd, _) = LoopTestKit.SocketPair(_fds);
        var reuser = new ScriptedDescriptor(newFd);
        reactor.AddReader(reuser);
        long newToken = syscalls.Calls.Last(c => c.Fd == newFd && c.Operation == EPOLL_CTL_ADD).Data;
        Assert.That((int)newToken, Is.EqualTo((int)staleToken), "the new descriptor reuses the slot");
        Assert.That(newToken, Is.Not.EqualTo(staleToken), "with a new generation");

        LoopTestKit.Send(oldPeer);
        LoopTestKit.IterateUntil(reactor, () => syscalls.Reported.Contains(staleToken));

        Assert.That(reuser.Reads, Is.Zero, "a stale report reached the slot's new descriptor");
        Assert.That(old.Reads, Is.Zero, "a removed descriptor was called");
        reactor.RemoveReader(reuser);
        LibcSyscalls.Instance.Close(duplicate, out _);
    }

    [Test]
    public void RemovingAReaderFromInsideDoReadDropsItsPendingReportInTheSameBatch()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = SelectorKind.Epoll });
        (int a, int aPeer) = LoopTestKit.SocketPair(_fds);
        (int b, int bPeer) = LoopTestKit.SocketPair(_fds);
        (int c, _) = LoopTestKit.SocketPair(_fds);
        var first = new ScriptedDescriptor(a);
        var second = new ScriptedDescriptor(b);
        var reuser = new ScriptedDescriptor(c);
        // Whichever of the two is dispatched first removes the other and adds a descriptor that has
        // nothing to read, which takes the freed slot; the other's report in the same batch is stale.
        first.OnRead = () => Swap(second);
        second.OnRead = () => Swap(first);
        reactor.AddReader(first);
        reactor.AddReader(second);
        LoopTestKit.Send(aPeer);
        LoopTestKit.Send(bPeer);
        LoopTestKit.IterateUntil(reactor, () => first.Reads + second.Reads > 0);

        Assert.That(first.Reads + second.Reads, Is.EqualTo(1));
        Assert.That(reuser.Reads, Is.Zero);
        reactor.RemoveAll();

        Exception? Swap(ScriptedDescriptor other)
        {
            reactor.RemoveReader(other);
            reactor.AddReader(reuser);
            return null;
        }
    }

    private static int Dup(int fd)
    {
        const int DuplicateCommand = 0; // F_DUPFD
        int copy = LibcSyscalls.Instance.Fcntl(fd, DuplicateCommand, 0, out Errno errno);
        if (copy < 0) throw errno.ToIOException("fcntl(F_DUPFD)");
        return copy;
    }

    /// <summary>Records every epoll_ctl (operation, fd, data) and every token epoll_wait reports.</summary>
    private sealed class EpollRecorder(ISyscalls inner) : ForwardingSyscalls(inner)
    {
        public List<(int Operation, int Fd, long Data)> Calls { get; } = new();

        public HashSet<long> Reported { get; } = new();

        public override int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno)
        {
            Calls.Add((operation, fd, (long)data));
            return base.EpollCtl(epfd, operation, fd, events, data, out errno);
        }

        public override int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno)
        {
            int ready = base.EpollWait(epfd, events, maxEvents, timeoutMilliseconds, out errno);
            for (int i = 0; i < ready; i++) Reported.Add((long)EpollEventLayout.GetData(events, i));
            return ready;
        }
    }
}
