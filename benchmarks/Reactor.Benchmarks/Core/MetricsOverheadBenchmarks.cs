using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Protocols;

using Reactor.Benchmarks.Net;

namespace Reactor.Benchmarks.Core;

/// <summary>
/// What metrics cost the loopback echo round trip (64 bytes out and back on one reactor, driven by
/// Iterate): without a listener, and with a <see cref="MeterListener"/> that enables every instrument
/// of the reactor's Meter and takes every measurement (the loop then times each iteration). The issue's
/// bar: within 5 % of each other, 0 B allocated either way.
/// </summary>
[MemoryDiagnoser]
public class MetricsOverheadBenchmarks
{
    private readonly byte[] _message = new byte[64];
    private ReactorLoop _reactor = null!;
    private LoopbackEchoPair _pair = null!;
    private MeterListener? _listener;
    private long _measurements;

    /// <summary>Whether a MeterListener takes every measurement of the reactor's Meter.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _reactor = ReactorLoop.Create();
        if (Listening)
        {
            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == ReactorInstrumentation.MeterName) l.EnableMeasurementEvents(instrument);
                },
            };
            _listener.SetMeasurementEventCallback<double>((_, _, _, _) => _measurements++);
            _listener.SetMeasurementEventCallback<long>((_, _, _, _) => _measurements++);
            _listener.SetMeasurementEventCallback<int>((_, _, _, _) => _measurements++);
            _listener.Start();
        }
        _pair = new LoopbackEchoPair(_reactor);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pair.StopListening();
        _reactor.Dispose();
        _listener?.Dispose();
        if (Listening && _measurements == 0) throw new InvalidOperationException("The listener took no measurement: the comparison measured nothing.");
    }

    [Benchmark]
    public void EchoRoundTrip() => _pair.RoundTrip(_message);
}
