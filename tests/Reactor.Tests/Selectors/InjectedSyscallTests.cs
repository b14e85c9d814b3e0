using Reactor.Native;
using Reactor.Selectors;
using Reactor.Tests.Native;
using static Reactor.Native.NativeConstants;

namespace Reactor.Tests.Selectors;

/// <summary>
/// Kernel misbehaviour the real kernel rarely shows on demand — EINTR, spurious hang-ups,
/// spurious wake-ups, EBADF — injected through <see cref="FakeSyscalls"/>.
/// </summary>
public sealed unsafe class InjectedSyscallTests
{
    private const int Fd = 7;
    private readonly SelectorEvent[] _events = new SelectorEvent[16];

    [Test]
    public void EpollWaitInterruptedBySignalReturnsNoEvents()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        sys.EpollWaits.Enqueue(Fail(Errno.EINTR));
        Assert.That(selector.Wait(_events, null), Is.Zero);
    }

    [Test]
    public void EpollWaitFailureOtherThanEintrThrows()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        sys.EpollWaits.Enqueue(Fail(Errno.EBADF));
        Assert.Throws<IOException>(() => selector.Wait(_events, TimeSpan.Zero));
    }

    [TestCase(Interest.Read)]
    [TestCase(Interest.Write)]
    [TestCase(Interest.None)]
    public void EpollSpuriousHangUpBecomesReadinessInBothDirections(Interest interest)
    {
        // epoll keeps no copy of the interest (the kernel is the table); the caller acts on the
        // directions it registered for.
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        selector.Register(Fd, interest, 42);
        sys.EpollWaits.Enqueue(Epoll(sys, (Fd, EPOLLHUP)));
        Assert.That(selector.Wait(_events, null), Is.EqualTo(1));
        Assert.That(_events[0], Is.EqualTo(new SelectorEvent(42, SelectorEvents.HangUp | SelectorEvents.Readable | SelectorEvents.Writable)));
    }

    [Test]
    public void EpollErrorIsReportedWithReadinessSoTheTransportLooks()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        selector.Register(Fd, Interest.ReadWrite, 42);
        sys.EpollWaits.Enqueue(Epoll(sys, (Fd, EPOLLERR)));
        selector.Wait(_events, null);
        Assert.That(_events[0].Events, Is.EqualTo(SelectorEvents.Error | SelectorEvents.Readable | SelectorEvents.Writable));
    }

    [Test]
    public void EpollReportsCarryTheTokenTheKernelWasGiven()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        selector.Register(Fd + 1, Interest.Read, 2);
        selector.Modify(Fd, Interest.ReadWrite, (7L << 32) | 3);
        Assert.That(sys.EpollData[Fd], Is.EqualTo((7UL << 32) | 3), "the token is the epoll data");
        sys.EpollWaits.Enqueue(Epoll(sys, (Fd, EPOLLIN), (Fd + 1, EPOLLIN)));
        Assert.That(selector.Wait(_events, null), Is.EqualTo(2));
        Assert.That(_events[0].Token, Is.EqualTo((7L << 32) | 3));
        Assert.That(_events[1].Token, Is.EqualTo(2));
    }

    [Test]
    public void EpollRefusesTheReservedTokenAndReportsKernelRefusalsAsTheContractSays()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        Assert.Throws<ArgumentOutOfRangeException>(() => selector.Register(Fd, Interest.Read, -1), "-1 is the wake-up's token");
        sys.EpollCtlErrors[EPOLL_CTL_ADD] = Errno.EEXIST;
        Assert.Throws<InvalidOperationException>(() => selector.Register(Fd, Interest.Read, 1));
        sys.EpollCtlErrors[EPOLL_CTL_MOD] = Errno.ENOENT;
        Assert.Throws<InvalidOperationException>(() => selector.Modify(Fd, Interest.Read, 1));
        sys.EpollCtlErrors[EPOLL_CTL_DEL] = Errno.ENOENT;
        Assert.DoesNotThrow(() => selector.Unregister(Fd), "not registered: nothing to do");
    }

    [Test]
    public void EpollSpuriousWakeUpWhoseReadSaysEagainIsConsumedQuietly()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        int wakeFd = sys.EpollChanges[0].Fd;
        int reads = 0;
        sys.OnRead = (int fd, byte* buffer, nint count, out Errno errno) =>
        {
            reads++;
            errno = Errno.EAGAIN;
            return -1;
        };
        sys.EpollWaits.Enqueue(Epoll(sys, (wakeFd, EPOLLIN)));
        Assert.That(selector.Wait(_events, null), Is.Zero);
        Assert.That(reads, Is.EqualTo(1));
    }

    [Test]
    public void EpollModifyAndUnregisterIssueTheRightControlCalls()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        selector.Modify(Fd, Interest.ReadWrite, 2);
        selector.Modify(Fd, Interest.ReadWrite, 3);
        selector.Unregister(Fd);
        Assert.That(sys.EpollChanges.Skip(1), Is.EqualTo(new[]
        {
            (EPOLL_CTL_ADD, Fd, EPOLLIN | EPOLLRDHUP),
            (EPOLL_CTL_MOD, Fd, EPOLLIN | EPOLLRDHUP | EPOLLOUT),
            (EPOLL_CTL_MOD, Fd, EPOLLIN | EPOLLRDHUP | EPOLLOUT),
            (EPOLL_CTL_DEL, Fd, 0u),
        }), "one call each: the backend keeps no copy of the interest (the reactor skips unchanged ones)");
        Assert.That(sys.EpollData.ContainsKey(Fd), Is.False);
    }

    [Test]
    public void WakeIsCoalescedUntilConsumed()
    {
        var sys = new FakeSyscalls();
        using var selector = new EpollSelector(sys);
        int wakeFd = sys.EpollChanges[0].Fd;
        selector.Wake();
        selector.Wake();
        selector.Wake();
        Assert.That(sys.Writes, Is.EqualTo(1), "one write while a wake-up is pending");
        sys.EpollWaits.Enqueue(Epoll(sys, (wakeFd, EPOLLIN)));
        selector.Wait(_events, null);
        selector.Wake();
        Assert.That(sys.Writes, Is.EqualTo(2), "consumed, so the next Wake writes again");
    }

    [Test]
    public void WakeToleratesAFullWakeDescriptorAndRetriesEintr()
    {
        var sys = new FakeSyscalls();
        using var selector = new PollSelector(sys);
        var results = new Queue<Errno>([Errno.EINTR, Errno.EAGAIN]);
        sys.OnWrite = (int fd, byte* buffer, nint count, out Errno errno) =>
        {
            errno = results.Dequeue();
            return -1;
        };
        Assert.DoesNotThrow(selector.Wake);
        Assert.That(sys.Writes, Is.EqualTo(2), "EINTR retried, EAGAIN means already signalled");
    }

    [Test]
    public void PollInterruptedBySignalReturnsNoEvents()
    {
        var sys = new FakeSyscalls();
        using var selector = new PollSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        sys.Polls.Enqueue((PollFd* fds, int count, int timeout, out Errno errno) =>
        {
            errno = Errno.EINTR;
            return -1;
        });
        Assert.That(selector.Wait(_events, null), Is.Zero);
    }

    [Test]
    public void PollSpuriousHangUpAndInvalidDescriptorAreReported()
    {
        var sys = new FakeSyscalls();
        using var selector = new PollSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        selector.Register(Fd + 1, Interest.Write, 2);
        sys.Polls.Enqueue((PollFd* fds, int count, int timeout, out Errno errno) =>
        {
            errno = Errno.Success;
            for (int i = 0; i < count; i++)
            {
                if (fds[i].Fd == Fd) fds[i].REvents = POLLHUP;
                if (fds[i].Fd == Fd + 1) fds[i].REvents = POLLNVAL;
            }

            return 2;
        });
        Assert.That(selector.Wait(_events, null), Is.EqualTo(2));
        Assert.That(_events.Take(2), Is.EquivalentTo(new[]
        {
            new SelectorEvent(1, SelectorEvents.HangUp | SelectorEvents.Readable),
            new SelectorEvent(2, SelectorEvents.Error | SelectorEvents.Writable),
        }));
    }

    [Test]
    public void PollReportsEveryReadyDescriptorAcrossWaitsWhenTheSpanIsSmall()
    {
        var sys = new FakeSyscalls();
        using var selector = new PollSelector(sys);
        for (int i = 0; i < 5; i++) selector.Register(Fd + i, Interest.Read, i);
        FakeSyscalls.PollScript allReadable = (PollFd* fds, int count, int timeout, out Errno errno) =>
        {
            errno = Errno.Success;
            for (int i = 1; i < count; i++) fds[i].REvents = POLLIN;
            return count - 1;
        };
        var seen = new HashSet<long>();
        var small = new SelectorEvent[2];
        for (int round = 0; round < 3; round++)
        {
            sys.Polls.Enqueue(allReadable);
            int n = selector.Wait(small, null);
            for (int i = 0; i < n; i++) seen.Add(small[i].Token);
        }

        Assert.That(seen, Is.EquivalentTo(new long[] { 0, 1, 2, 3, 4 }), "no descriptor starves behind the first ones");
    }

    [Test]
    public void SelectInterruptedBySignalReturnsNoEvents()
    {
        var sys = new FakeSyscalls();
        using var selector = new SelectSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        sys.Selects.Enqueue((int nfds, FdSet* read, FdSet* write, out Errno errno) =>
        {
            errno = Errno.EINTR;
            return -1;
        });
        Assert.That(selector.Wait(_events, null), Is.Zero);
    }

    [Test]
    public void SelectReportsADescriptorClosedWithoutUnregisteringAsAnError()
    {
        var sys = new FakeSyscalls();
        using var selector = new SelectSelector(sys);
        selector.Register(Fd, Interest.Read, 1);
        selector.Register(Fd + 1, Interest.Read, 2);
        sys.ClosedDescriptors.Add(Fd + 1);
        sys.Selects.Enqueue((int nfds, FdSet* read, FdSet* write, out Errno errno) =>
        {
            errno = Errno.EBADF;
            return -1;
        });
        Assert.That(selector.Wait(_events, null), Is.EqualTo(1));
        Assert.That(_events[0], Is.EqualTo(new SelectorEvent(2, SelectorEvents.Error)));
    }

    [Test]
    public void SelectRefusesDescriptorsAtOrAboveFdSetSize()
    {
        using var selector = new SelectSelector(new FakeSyscalls());
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => selector.Register(FD_SETSIZE, Interest.Read, 1))!;
        Assert.That(error.ParamName, Is.EqualTo("fd"));
        Assert.That(error.Message, Does.Contain("FD_SETSIZE (1024)").And.Contain("poll").And.Contain("epoll"));
        Assert.DoesNotThrow(() => selector.Register(FD_SETSIZE - 1, Interest.Read, 1));
    }

    [Test]
    public void SelectPassesTheHighestDescriptorPlusOne()
    {
        var sys = new FakeSyscalls();
        using var selector = new SelectSelector(sys);
        selector.Register(500, Interest.Read, 1);
        selector.Register(900, Interest.Write, 2);
        var seen = new List<int>();
        FakeSyscalls.SelectScript record = (int nfds, FdSet* read, FdSet* write, out Errno errno) =>
        {
            seen.Add(nfds);
            errno = Errno.Success;
            read->Clear();
            write->Clear();
            return 0;
        };
        sys.Selects.Enqueue(record);
        selector.Wait(_events, TimeSpan.Zero);
        selector.Unregister(900);
        sys.Selects.Enqueue(record);
        selector.Wait(_events, TimeSpan.Zero);
        Assert.That(seen, Is.EqualTo(new[] { 901, 501 }));
    }

    private static FakeSyscalls.EpollWaitScript Fail(Errno failure) =>
        (void* events, int max, int timeout, out Errno errno) =>
        {
            errno = failure;
            return -1;
        };

    // Reports as the kernel does: each with the data its descriptor was registered with.
    private static FakeSyscalls.EpollWaitScript Epoll(FakeSyscalls sys, params (int Fd, uint Events)[] ready) =>
        (void* events, int max, int timeout, out Errno errno) =>
        {
            for (int i = 0; i < ready.Length; i++) EpollEventLayout.Set(events, i, ready[i].Events, sys.EpollData[ready[i].Fd]);
            errno = Errno.Success;
            return ready.Length;
        };
}
