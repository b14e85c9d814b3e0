using Reactor.Native;
using Reactor.Selectors;
using Reactor.Tests.Native;
using static Reactor.Native.NativeConstants;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The kqueue backend's logic against a scripted kevent, in both struct layouts (the 32-byte
/// Darwin/libkqueue one and FreeBSD's 64-byte one), so it is exercised on machines without kqueue.
/// The contract fixture covers it against a real kqueue where one is available.
/// </summary>
[TestFixture(0)]
[TestFixture(1)]
[TestFixture(2)]
public sealed unsafe class KqueueSelectorTests(int abiNumber)
{
    private const int Fd = 9;
    private readonly SelectorEvent[] _events = new SelectorEvent[16];
    private FakeSyscalls _sys = null!;
    private KqueueSelector _selector = null!;

    private KeventAbi Abi => (KeventAbi)abiNumber;

    private short UserFilter => KeventLayout.UserFilter(Abi);

    [SetUp]
    public void SetUp()
    {
        _sys = new FakeSyscalls { KeventAbi = Abi };
        _selector = new KqueueSelector(_sys);
    }

    [TearDown]
    public void TearDown() => _selector.Dispose();

    [Test]
    public void TheWakeUpIsAnEvfiltUserFilterWithEvClear()
    {
        Assert.That(_sys.KeventChanges[0], Is.EqualTo(((nuint)0, UserFilter, (ushort)(EV_ADD | EV_CLEAR | EV_RECEIPT), 0u)));
    }

    [Test]
    public void RegisterAddsOneFilterPerDirectionWithReceipts()
    {
        _selector.Register(Fd, Interest.ReadWrite, 1);
        Assert.That(_sys.KeventChanges.Skip(1), Is.EqualTo(new[]
        {
            ((nuint)Fd, EVFILT_READ, (ushort)(EV_ADD | EV_RECEIPT), 0u),
            ((nuint)Fd, EVFILT_WRITE, (ushort)(EV_ADD | EV_RECEIPT), 0u),
        }));
    }

    [Test]
    public void ModifyAddsAndDeletesOnlyTheDifference()
    {
        _selector.Register(Fd, Interest.Read, 1);
        _sys.KeventChanges.Clear();
        _selector.Modify(Fd, Interest.Write, 2);
        Assert.That(_sys.KeventChanges, Is.EqualTo(new[]
        {
            ((nuint)Fd, EVFILT_WRITE, (ushort)(EV_ADD | EV_RECEIPT), 0u),
            ((nuint)Fd, EVFILT_READ, (ushort)(EV_DELETE | EV_RECEIPT), 0u),
        }));
    }

    [Test]
    public void ARejectedChangeThrowsAndLeavesTheDescriptorUnregistered()
    {
        _sys.KeventChangeErrors[((nuint)Fd, EVFILT_WRITE, EV_ADD)] = Errno.EBADF;
        Assert.Throws<IOException>(() => _selector.Register(Fd, Interest.ReadWrite, 1));
        Assert.That(_sys.KeventChanges.Last(), Is.EqualTo(((nuint)Fd, EVFILT_READ, (ushort)(EV_DELETE | EV_RECEIPT), 0u)), "the half-added read filter is rolled back");
        Assert.DoesNotThrow(() => _selector.Register(Fd, Interest.Read, 1), "not left registered");
    }

    [Test]
    public void UnregisteringAnAlreadyClosedDescriptorIsTolerated()
    {
        _selector.Register(Fd, Interest.Read, 1);
        _sys.KeventChangeErrors[((nuint)Fd, EVFILT_READ, EV_DELETE)] = Errno.ENOENT;
        Assert.DoesNotThrow(() => _selector.Unregister(Fd));
    }

    [Test]
    public void ReadAndWriteFiltersOfOneDescriptorMergeIntoOneEvent()
    {
        _selector.Register(Fd, Interest.ReadWrite, 5);
        _sys.KeventWaits.Enqueue(Events((Fd, EVFILT_READ, 0, 0), (Fd, EVFILT_WRITE, 0, 0)));
        Assert.That(_selector.Wait(_events, null), Is.EqualTo(1));
        Assert.That(_events[0], Is.EqualTo(new SelectorEvent(5, SelectorEvents.Readable | SelectorEvents.Writable)));
    }

    [Test]
    public void EachFilterCarriesTheTokenAsUdataAndAChangedTokenIsRetagged()
    {
        _selector.Register(Fd, Interest.Read, 1);
        Assert.That(_sys.KeventUData[((nuint)Fd, EVFILT_READ)], Is.EqualTo(1));
        _selector.Modify(Fd, Interest.ReadWrite, (3L << 32) | 4);
        Assert.That(_sys.KeventUData[((nuint)Fd, EVFILT_READ)], Is.EqualTo((3L << 32) | 4), "the kept read filter is added again with the new token");
        Assert.That(_sys.KeventUData[((nuint)Fd, EVFILT_WRITE)], Is.EqualTo((3L << 32) | 4));
        _sys.KeventWaits.Enqueue(Events((Fd, EVFILT_WRITE, 0, 0)));
        Assert.That(_selector.Wait(_events, null), Is.EqualTo(1));
        Assert.That(_events[0], Is.EqualTo(new SelectorEvent((3L << 32) | 4, SelectorEvents.Writable)));
    }

    [Test]
    public void EndOfFileIsAHangUpAndASocketErrorIsAnError()
    {
        _selector.Register(Fd, Interest.Read, 1);
        _selector.Register(Fd + 1, Interest.Read, 2);
        _sys.KeventWaits.Enqueue(Events((Fd, EVFILT_READ, EV_EOF, 0), (Fd + 1, EVFILT_READ, EV_EOF, (uint)Errno.ECONNRESET.Value)));
        Assert.That(_selector.Wait(_events, null), Is.EqualTo(2));
        Assert.That(_events[0], Is.EqualTo(new SelectorEvent(1, SelectorEvents.Readable | SelectorEvents.HangUp)));
        Assert.That(_events[1], Is.EqualTo(new SelectorEvent(2, SelectorEvents.Readable | SelectorEvents.HangUp | SelectorEvents.Error, Errno.ECONNRESET.Value)), "the errno in fflags is carried");
    }

    [Test]
    public void TheUserFilterWakeUpIsConsumedNotReported()
    {
        _selector.Wake();
        _selector.Wake();
        Assert.That(_sys.KeventChanges.Count(c => c.FFlags == NOTE_TRIGGER), Is.EqualTo(1), "coalesced");
        _sys.KeventWaits.Enqueue(Events((0, UserFilter, EV_CLEAR, NOTE_TRIGGER)));
        Assert.That(_selector.Wait(_events, null), Is.Zero);
        _selector.Wake();
        Assert.That(_sys.KeventChanges.Count(c => c.FFlags == NOTE_TRIGGER), Is.EqualTo(2), "consumed, so triggered again");
    }

    [Test]
    public void InterruptedWaitReturnsNoEvents()
    {
        _sys.KeventWaits.Enqueue((void* events, int count, out Errno errno) =>
        {
            errno = Errno.EINTR;
            return -1;
        });
        Assert.That(_selector.Wait(_events, null), Is.Zero);
    }

    [Test]
    public void WithoutEvfiltUserAPipeWakesTheQueue()
    {
        var sys = new FakeSyscalls { KeventAbi = Abi };
        sys.KeventChangeErrors[((nuint)0, KeventLayout.UserFilter(Abi), (ushort)(EV_ADD | EV_CLEAR))] = Errno.EINVAL;
        using var selector = new KqueueSelector(sys);
        var pipeRead = sys.KeventChanges.Last();
        Assert.That(pipeRead.Filter, Is.EqualTo(EVFILT_READ));
        selector.Wake();
        Assert.That(sys.Writes, Is.EqualTo(1));
        sys.KeventWaits.Enqueue(Events(sys, ((int)pipeRead.Ident, EVFILT_READ, 0, 0)));
        Assert.That(selector.Wait(_events, null), Is.Zero);
    }

    // Reports as the kernel does: each with the udata its filter was added with.
    private FakeSyscalls.KeventScript Events(params (int Ident, short Filter, ushort Flags, uint FFlags)[] ready) => Events(_sys, ready);

    private FakeSyscalls.KeventScript Events(FakeSyscalls sys, params (int Ident, short Filter, ushort Flags, uint FFlags)[] ready)
    {
        KeventAbi abi = Abi;
        return (void* events, int count, out Errno errno) =>
        {
            for (int i = 0; i < ready.Length; i++)
            {
                long udata = sys.KeventUData.GetValueOrDefault(((nuint)ready[i].Ident, ready[i].Filter));
                KeventLayout.Set(abi, events, i, (nuint)ready[i].Ident, ready[i].Filter, ready[i].Flags, ready[i].FFlags, 0, (nint)udata);
            }
            errno = Errno.Success;
            return ready.Length;
        };
    }
}
