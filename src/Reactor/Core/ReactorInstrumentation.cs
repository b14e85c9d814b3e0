namespace Reactor.Core;

/// <summary>
/// The names under which reactors publish metrics and traces, for <c>MeterListener</c>,
/// <c>dotnet-counters monitor --counters Reactor</c> or OpenTelemetry's <c>AddMeter</c> / <c>AddSource</c>.
/// </summary>
/// <remarks>
/// Every instrument is listed, with its unit and tags, in docs/guides/observability.md. Nothing is
/// measured per read or write unless someone listens: byte and connection counts are plain
/// counters the loop keeps anyway and are only read when a listener collects them.
/// </remarks>
public static class ReactorInstrumentation
{
    /// <summary>The name of every reactor's <see cref="System.Diagnostics.Metrics.Meter"/>: "Reactor".</summary>
    public const string MeterName = "Reactor";

    /// <summary>The name of every reactor's <see cref="System.Diagnostics.ActivitySource"/>: "Reactor" (connect, TLS handshake, name resolution).</summary>
    public const string ActivitySourceName = "Reactor";
}
