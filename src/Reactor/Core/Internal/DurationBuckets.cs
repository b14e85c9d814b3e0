using System.Diagnostics.Metrics;

namespace Reactor.Core.Internal;

/// <summary>
/// Histogram bucket advice for durations in seconds: exporters (OpenTelemetry) otherwise use
/// boundaries meant for milliseconds (0, 5, 10… 10000), which put every loop iteration in one bucket.
/// </summary>
internal static class DurationBuckets
{
    /// <summary>Microseconds to a second: loop iterations, timer lateness.</summary>
    public static readonly InstrumentAdvice<double> Loop = new()
    {
        HistogramBucketBoundaries = [0.000001, 0.000005, 0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    };

    /// <summary>A millisecond to ten seconds: TLS handshakes, name resolutions (OpenTelemetry's HTTP duration buckets).</summary>
    public static readonly InstrumentAdvice<double> Network = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };
}
