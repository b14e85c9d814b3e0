using BenchmarkDotNet.Attributes;
using Reactor.Native;
using Reactor.Selectors;

namespace Reactor.Benchmarks.Selectors;

/// <summary>The Python-style <see cref="DescriptorSelector"/> over the default backend: Select into a span with one ready key.</summary>
[MemoryDiagnoser]
public unsafe class DescriptorSelectorBenchmarks
{
    private readonly SelectedKey[] _ready = new SelectedKey[16];
    private DescriptorSelector _selector = null!;
    private int _local;
    private int _peer;

    /// <summary>Registers one ready socket.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _selector = new DescriptorSelector();
        if (LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_STREAM, out _local, out _peer, out Errno errno) < 0)
            throw errno.ToIOException("socketpair");
        _selector.Register(_local, Interest.Read, "connection");
        byte one = 1;
        LibcSyscalls.Instance.Write(_peer, &one, 1, out _);
    }

    /// <summary>Closes everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _selector.Dispose();
        LibcSyscalls.Instance.Close(_local, out _);
        LibcSyscalls.Instance.Close(_peer, out _);
    }

    /// <summary>Select into a span and touch each key's data.</summary>
    [Benchmark]
    public int SelectIntoSpan()
    {
        int count = _selector.Select(_ready, TimeSpan.Zero);
        int seen = 0;
        for (int i = 0; i < count; i++)
        {
            if (_ready[i].Key.Data is not null) seen++;
        }

        return seen;
    }
}
