using BenchmarkDotNet.Attributes;
using Reactor.Native;
using Reactor.Selectors;

namespace Reactor.Benchmarks.Selectors;

/// <summary>
/// One selector Wait plus dispatch per operation, per backend, with one ready socket among
/// <see cref="Registered"/> registered ones (the rest idle): shows the per-wait cost and how
/// poll/select scale with the registered count while epoll does not. Expect 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public unsafe class SelectorWaitBenchmarks
{
    private readonly SelectorEvent[] _events = new SelectorEvent[64];
    private readonly List<int> _fds = [];
    private ISelector _selector = null!;
    private int _readyLocal;
    private int _readyPeer;

    /// <summary>The backend under test.</summary>
    [ParamsSource(nameof(Kinds))]
    public SelectorKind Kind { get; set; }

    /// <summary>How many socket pairs are registered (one of them ready).</summary>
    [Params(1, 400)]
    public int Registered { get; set; }

    /// <summary>The backends available on this machine.</summary>
    public static IEnumerable<SelectorKind> Kinds() => SelectorFactory.Available;

    /// <summary>Creates the selector and the sockets; makes one readable.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _selector = SelectorFactory.Create(Kind);
        for (int i = 0; i < Registered; i++)
        {
            if (LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_STREAM, out int local, out int peer, out Errno errno) < 0)
                throw errno.ToIOException("socketpair");
            _fds.Add(local);
            _fds.Add(peer);
            _selector.Register(local, Interest.Read, i);
            (_readyLocal, _readyPeer) = (local, peer);
        }

        byte one = 1;
        LibcSyscalls.Instance.Write(_readyPeer, &one, 1, out _);
    }

    /// <summary>Closes everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _selector.Dispose();
        foreach (int fd in _fds) LibcSyscalls.Instance.Close(fd, out _);
        _fds.Clear();
    }

    /// <summary>Wait (level-triggered: the unread byte keeps the socket ready) and dispatch the events.</summary>
    [Benchmark]
    public long WaitAndDispatch()
    {
        int count = _selector.Wait(_events, TimeSpan.Zero);
        long sum = 0;
        for (int i = 0; i < count; i++) sum += _events[i].Token + (long)_events[i].Events;
        return sum;
    }

    /// <summary>A full round: the peer writes a byte, Wait reports it, the byte is read back.</summary>
    [Benchmark]
    public nint WriteWaitRead()
    {
        byte value = 2;
        LibcSyscalls.Instance.Write(_readyPeer, &value, 1, out _);
        _selector.Wait(_events, TimeSpan.Zero);
        return LibcSyscalls.Instance.Read(_readyLocal, &value, 1, out _);
    }
}
