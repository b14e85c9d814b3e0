using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;

namespace Reactor.Benchmarks.Net;

/// <summary>
/// One in-process loopback echo round trip per operation, per backend: a client transport writes
/// 64 bytes, the reactor carries them to an echo server and back. Both ends run on one reactor,
/// driven by Iterate. Expect 0 B allocated per operation.
/// </summary>
[MemoryDiagnoser]
public class LoopbackEchoBenchmarks
{
    private readonly byte[] _message = new byte[64];
    private ReactorLoop _reactor = null!;
    private LoopbackEchoPair _pair = null!;

    [ParamsSource(nameof(Kinds))]
    public SelectorKind Kind { get; set; }

    public static IEnumerable<SelectorKind> Kinds() => SelectorFactory.Available;

    /// <summary>Write-through threshold of every transport: 0 = write through, int.MaxValue = gather and flush, 16 KiB = the default.</summary>
    [Params(0, 16 * 1024, int.MaxValue)]
    public int WriteThroughThreshold { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = Kind, WriteThroughThreshold = WriteThroughThreshold });
        _pair = new LoopbackEchoPair(_reactor);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.StopListening();
        _reactor.Dispose();
    }

    [Benchmark]
    public void EchoRoundTrip() => _pair.RoundTrip(_message);
}
