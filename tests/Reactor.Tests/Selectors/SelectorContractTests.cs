using System.Diagnostics;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The behaviour every <see cref="ISelector"/> backend promises, run once per backend available
/// on this machine (Twisted's ReactorBuilder idea: one suite, every reactor).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class SelectorContractTests(SelectorKind kind)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private ISelector _selector = null!;
    private SocketPairs _pairs = null!;
    private readonly SelectorEvent[] _events = new SelectorEvent[256];

    [SetUp]
    public void SetUp()
    {
        _selector = Backends.Create(kind);
        _pairs = new SocketPairs();
    }

    [TearDown]
    public void TearDown()
    {
        _selector.Dispose();
        _pairs.Dispose();
    }

    [Test]
    public void ReportsItsKind() => Assert.That(_selector.Kind, Is.EqualTo(kind));

    [Test]
    public void NothingIsReportedBeforeThePeerWrites()
    {
        (int local, _) = _pairs.Create();
        _selector.Register(local, Interest.Read, 7);
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero);
    }

    [Test]
    public void ReadableAfterThePeerWrites()
    {
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.Read, 7);
        SocketPairs.Send(peer);
        SelectorEvent reported = WaitForToken(7);
        Assert.That(reported.Events & SelectorEvents.Readable, Is.EqualTo(SelectorEvents.Readable));
        Assert.That(reported.Events & SelectorEvents.Writable, Is.EqualTo(SelectorEvents.None), "not asked for");
    }

    [Test]
    public void WritableWhenTheSendBufferHasRoom()
    {
        (int local, _) = _pairs.Create();
        _selector.Register(local, Interest.Write, 9);
        SelectorEvent reported = WaitForToken(9);
        Assert.That(reported.Events & SelectorEvents.Writable, Is.EqualTo(SelectorEvents.Writable));
        Assert.That(reported.Events & SelectorEvents.Readable, Is.EqualTo(SelectorEvents.None));
    }

    [Test]
    public void NotWritableWhileTheSendBufferIsFull()
    {
        (int local, _) = _pairs.Create();
        SocketPairs.FillSendBuffer(local);
        _selector.Register(local, Interest.Write, 9);
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero);
    }

    [Test]
    public void LevelTriggeredReadinessIsReportedAgainUntilConsumed()
    {
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.Read, 7);
        SocketPairs.Send(peer);
        WaitForToken(7);
        Assert.That(Collect(TimeSpan.Zero).Select(e => e.Token), Does.Contain(7L), "still unread, so still readable");
        SocketPairs.Drain(local);
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero, "drained, so quiet");
    }

    [Test]
    public void ModifyChangesInterestAndToken()
    {
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.Read, 1);
        _selector.Modify(local, Interest.Write, 2);
        SelectorEvent reported = WaitForToken(2);
        Assert.That(reported.Events & SelectorEvents.Writable, Is.EqualTo(SelectorEvents.Writable));

        _selector.Modify(local, Interest.None, 3);
        SocketPairs.Send(peer);
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero, "no interest: neither readable nor writable is reported");

        _selector.Modify(local, Interest.Read, 4);
        Assert.That(WaitForToken(4).Events & SelectorEvents.Readable, Is.EqualTo(SelectorEvents.Readable));
    }

    [Test]
    public void UnregisterStopsEvents()
    {
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.ReadWrite, 5);
        SocketPairs.Send(peer);
        WaitForToken(5);
        _selector.Unregister(local);
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero);
        _selector.Register(local, Interest.Read, 6);
        Assert.That(WaitForToken(6).Token, Is.EqualTo(6), "can be registered again after unregistering");
    }

    [Test]
    public void PeerCloseIsReportedAsReadableEndOfFile()
    {
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.Read, 3);
        _pairs.Close(peer);
        SelectorEvent reported = WaitForToken(3);
        Assert.That(reported.Events & SelectorEvents.Readable, Is.EqualTo(SelectorEvents.Readable));
        if (kind != SelectorKind.Select)
            Assert.That(reported.Events & SelectorEvents.HangUp, Is.EqualTo(SelectorEvents.HangUp), "select(2) cannot tell a hang-up from data");
        Assert.That((long)SocketPairs.Drain(local), Is.Zero, "read returns end of file");
    }

    [Test]
    public void WaitWithATimeoutBlocksForAtLeastTheTimeout()
    {
        (int local, _) = _pairs.Create();
        _selector.Register(local, Interest.Read, 1);
        TimeSpan timeout = TimeSpan.FromMilliseconds(150);
        var clock = Stopwatch.StartNew();
        int count = _selector.Wait(_events, timeout);
        clock.Stop();
        Assert.That(count, Is.Zero);
        // A lower bound only: one call that returned nothing must have slept, not spun.
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(timeout - TimeSpan.FromMilliseconds(2)));
    }

    [Test]
    public void WakeFromAnotherThreadInterruptsAnUnboundedWait()
    {
        using var aboutToWait = new ManualResetEventSlim();
        var waker = Task.Run(() =>
        {
            aboutToWait.Wait(Deadline);
            _selector.Wake();
        });
        aboutToWait.Set();
        var waitTask = Task.Run(() => _selector.Wait(new SelectorEvent[4], null));
        Assert.That(waitTask.Wait(Deadline), Is.True, "Wake must end a wait that has no timeout");
        Assert.That(waitTask.Result, Is.Zero, "the wake-up is consumed, not reported");
        waker.Wait(Deadline);
    }

    [Test]
    public void AWakeUpIsConsumedAndDoesNotStick()
    {
        _selector.Wake();
        _selector.Wake();
        Assert.That(_selector.Wait(_events, Deadline), Is.Zero);
        // A stuck wake-up ends every later wait at once with no event. So: register a socket that
        // another thread makes readable, and wait for it. A consumed wake-up lets the wait block
        // until the socket's readiness ends it with that event; a stuck one returns empty every
        // time. A few empty returns are allowed for the OS's own reasons (EINTR when a signal such
        // as SIGCHLD from another test's child lands on this thread), so no timing is measured.
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.Read, 7);
        // Starting a thread takes far longer than a few waits that a stuck wake-up ends at once.
        var writer = new Thread(() => SocketPairs.Send(peer));
        writer.Start();
        int reported = 0;
        for (int attempt = 0; attempt < 5 && reported == 0; attempt++) reported = _selector.Wait(_events, Deadline);
        writer.Join();
        Assert.That(reported, Is.EqualTo(1), "the wait ended with the socket's readiness: the wake-up did not stick");
        Assert.That(_events[0].Token, Is.EqualTo(7));
    }

    [Test]
    public void ManyRegisteredSocketsAreEachReportedExactlyOnce()
    {
        // select(2) cannot watch descriptors at or above FD_SETSIZE, so it gets a smaller crowd.
        int sockets = kind == SelectorKind.Select ? 300 : 2000;
        FileLimit.EnsureAtLeast(sockets * 2 + 64);
        var peers = new int[sockets];
        var locals = new int[sockets];
        for (int i = 0; i < sockets; i++)
        {
            (locals[i], peers[i]) = _pairs.Create();
            _selector.Register(locals[i], Interest.Read, i);
        }

        foreach (int peer in peers) SocketPairs.Send(peer);
        var seen = new int[sockets];
        int distinct = 0;
        var clock = Stopwatch.StartNew();
        while (distinct < sockets && clock.Elapsed < Deadline)
        {
            int n = _selector.Wait(_events, TimeSpan.FromMilliseconds(200));
            for (int i = 0; i < n; i++)
            {
                int token = (int)_events[i].Token;
                if (seen[token]++ == 0) distinct++;
                SocketPairs.Drain(locals[token]);
            }
        }

        Assert.That(distinct, Is.EqualTo(sockets));
        Assert.That(seen.Where(c => c != 1), Is.Empty, "each socket reported exactly once");
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero);
    }

    [Test]
    public void UnregisteringAndClosingAnotherDescriptorDuringProcessingIsSafe()
    {
        (int first, int firstPeer) = _pairs.Create();
        (int second, int secondPeer) = _pairs.Create();
        _selector.Register(first, Interest.Read, 1);
        _selector.Register(second, Interest.Read, 2);
        SocketPairs.Send(firstPeer);
        SocketPairs.Send(secondPeer);
        var tokens = new HashSet<long>();
        var clock = Stopwatch.StartNew();
        while (tokens.Count < 2 && clock.Elapsed < Deadline)
        {
            tokens.Clear();
            int count = _selector.Wait(_events, TimeSpan.FromMilliseconds(100));
            for (int i = 0; i < count; i++) tokens.Add(_events[i].Token);
        }

        Assert.That(tokens, Is.EquivalentTo(new long[] { 1, 2 }));
        int processed = 0;
        int n = _selector.Wait(_events, TimeSpan.Zero);
        for (int i = 0; i < n; i++)
        {
            processed++;
            long token = _events[i].Token;
            int victim = token == 1 ? second : first;
            if (processed == 1)
            {
                // The handler for the first event tears down the other descriptor.
                _selector.Unregister(victim);
                _pairs.Close(victim);
            }
        }

        Assert.That(processed, Is.EqualTo(2), "both were still ready");
        int survivor = Collect(TimeSpan.Zero).Single().Token == 1 ? first : second;

        // The closed descriptor's number is likely reused by the next pair: a new registration
        // on it reports only its own token.
        (int reused, int reusedPeer) = _pairs.Create();
        _selector.Register(reused, Interest.Read, 99);
        SocketPairs.Send(reusedPeer);
        SocketPairs.Drain(survivor);
        Assert.That(WaitForToken(99).Token, Is.EqualTo(99));
        Assert.That(Collect(TimeSpan.Zero).Select(e => e.Token), Is.EquivalentTo(new long[] { 99 }));
    }

    [Test]
    public void RegisteringTwiceOrModifyingAnUnknownDescriptorThrows()
    {
        (int local, _) = _pairs.Create();
        _selector.Register(local, Interest.Read, 1);
        Assert.Throws<InvalidOperationException>(() => _selector.Register(local, Interest.Read, 1));
        _selector.Unregister(local);
        Assert.Throws<InvalidOperationException>(() => _selector.Modify(local, Interest.Read, 1));
        Assert.DoesNotThrow(() => _selector.Unregister(local), "unregistering an unknown descriptor is a no-op");
        Assert.Throws<ArgumentOutOfRangeException>(() => _selector.Register(-1, Interest.Read, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _selector.Register(local, (Interest)4, 1));
        Assert.Throws<ArgumentException>(() => _selector.Wait(Span<SelectorEvent>.Empty, TimeSpan.Zero));
    }

    [Test]
    public void WaitAllocatesNothing()
    {
        (int local, int peer) = _pairs.Create();
        _selector.Register(local, Interest.ReadWrite, 1);
        SocketPairs.Send(peer);
        _selector.Wait(_events, TimeSpan.Zero);
        _selector.Wake();
        _selector.Wait(_events, TimeSpan.Zero);
        // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int reported = 0;
        for (int i = 0; i < 1000; i++) reported += _selector.Wait(_events, TimeSpan.Zero);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(reported, Is.EqualTo(1000));
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void DisposedSelectorRefusesWorkButToleratesWake()
    {
        _selector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _selector.Wait(_events, TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => _selector.Register(0, Interest.Read, 1));
        Assert.DoesNotThrow(() => _selector.Wake());
        Assert.DoesNotThrow(() => _selector.Dispose());
    }

    [Test]
    public void UnregisterBeforeCloseThenCloseReportsNothingAndTheNumberCanBeReused()
    {
        (int first, int firstPeer) = _pairs.Create();
        _selector.Register(first, Interest.Read, 7);
        SocketPairs.Send(firstPeer);
        _selector.UnregisterBeforeClose(first);
        _pairs.Close(first);
        Assert.That(_selector.Wait(_events, TimeSpan.Zero), Is.Zero, "nothing for the closed descriptor");

        // The lowest free number comes back: the same number, a new socket.
        (int second, int secondPeer) = _pairs.Create();
        _selector.Register(second, Interest.Read, 8);
        SocketPairs.Send(secondPeer);
        Assert.That(WaitForToken(8).Events & SelectorEvents.Readable, Is.EqualTo(SelectorEvents.Readable));
        Assert.That(_events.Take(_selector.Wait(_events, TimeSpan.Zero)).Select(e => e.Token), Has.No.Member(7L));
    }

    private SelectorEvent WaitForToken(long token)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            int count = _selector.Wait(_events, TimeSpan.FromMilliseconds(100));
            for (int i = 0; i < count; i++)
            {
                if (_events[i].Token == token) return _events[i];
            }
        }

        Assert.Fail($"token {token} was not reported within {Deadline}");
        return default;
    }

    private List<SelectorEvent> Collect(TimeSpan timeout)
    {
        int count = _selector.Wait(_events, timeout);
        return _events.AsSpan(0, count).ToArray().ToList();
    }
}
