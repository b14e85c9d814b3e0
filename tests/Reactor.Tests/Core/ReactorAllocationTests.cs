using Reactor.Core;
using Reactor.Errors;
using Reactor.Selectors;

namespace Reactor.Tests.Core;

/// <summary>
/// The hot path allocates nothing in steady state. Measured with the exact per-thread allocation
/// counter (not timing): an idle iteration, a pooled timer scheduled and fired, a read dispatch,
/// a CallFromThread round trip of a cached delegate.
/// </summary>
[TestFixtureSource(typeof(LoopTestKit), nameof(LoopTestKit.Backends))]
public class ReactorAllocationTests(SelectorKind kind)
{
    private const int Rounds = 2000;
    private ReactorLoop _reactor = null!;
    private readonly List<int> _fds = new();

    [SetUp]
    public void SetUp() => _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind });

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        LoopTestKit.CloseAll(_fds);
    }

    private static long AllocatedBy(Action work)
    {
        work(); // warm up: JIT, tiering, first-use growth of internal arrays
        work();
        // Empties this thread's allocation context: see Infrastructure/ThreadAllocation (background-GC artefact).
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        work();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void IdleIterationAllocatesNothing()
    {
        long bytes = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++) _reactor.Iterate(TimeSpan.Zero);
        });
        Assert.That(bytes, Is.Zero);
    }

    [Test]
    public void PooledTimerScheduledAndFiredAllocatesNothing()
    {
        var counter = new Counter();
        long bytes = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                _reactor.CallLater(TimeSpan.Zero, static (Counter c) => c.Value++, counter);
                _reactor.Iterate(TimeSpan.Zero);
            }
        });
        Assert.That(bytes, Is.Zero);
        Assert.That(counter.Value, Is.EqualTo(3 * Rounds));
    }

    [Test]
    public void PooledTimerScheduledAndCancelledAllocatesNothing()
    {
        long bytes = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                _reactor.CallLater(TimeSpan.FromSeconds(1), static (Counter c) => c.Value++, s_unused).TryCancel();
            }
        });
        Assert.That(bytes, Is.Zero);
    }

    [Test]
    public void ReadDispatchAllocatesNothing()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var reader = new DrainingReader(a);
        _reactor.AddReader(reader);
        long bytes = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                LoopTestKit.Send(b);
                int before = reader.Reads;
                // The byte is already in the socket: one zero-timeout iteration must see it.
                while (reader.Reads == before) _reactor.Iterate(TimeSpan.Zero);
            }
        });
        Assert.That(bytes, Is.Zero);
    }

    [Test]
    public void CallFromThreadOfACachedDelegateAllocatesNothing()
    {
        var counter = new Counter();
        Action bump = counter.Bump;
        long bytes = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                _reactor.CallFromThread(bump);
                _reactor.Iterate(TimeSpan.Zero);
            }
        });
        Assert.That(bytes, Is.Zero);
    }

    private static readonly Counter s_unused = new();

    private sealed class Counter
    {
        public int Value;

        public void Bump() => Value++;
    }

    private sealed class DrainingReader(int fd) : IReadDescriptor
    {
        public int FileDescriptor => fd;

        public int Reads;

        public Exception? DoRead()
        {
            Reads++;
            LoopTestKit.Receive(fd);
            return null;
        }

        public void ConnectionLost(Reactor.Defer.Failure reason) { }
    }
}
