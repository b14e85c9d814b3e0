using System.Diagnostics;
using System.Diagnostics.Metrics;
using Reactor.Core;
using Reactor.Core.Internal;

namespace Reactor.Net.Internal;

/// <summary>
/// The network layer's instruments on one reactor: connections, bytes, TLS handshakes, name
/// resolutions (metrics), and the activities around connect, TLS handshake and name resolution
/// (tracing; never per read or write).
/// </summary>
internal sealed class NetInstruments
{
    private static readonly KeyValuePair<string, object?> Receive = new("network.io.direction", "receive");
    private static readonly KeyValuePair<string, object?> Transmit = new("network.io.direction", "transmit");
    private static readonly KeyValuePair<string, object?> Done = new("reactor.close.reason", "done");
    private static readonly KeyValuePair<string, object?> Lost = new("reactor.close.reason", "lost");

    private readonly Counter<long>? _tlsHandshakes;
    private readonly Histogram<double>? _tlsDuration;
    private readonly Counter<long>? _lookups;
    private readonly Histogram<double>? _lookupDuration;

    /// <summary>Counters that go nowhere: for hosts that are not reactors (test doubles).</summary>
    public static NetInstruments Unobserved { get; } = new();

    private NetInstruments()
    {
        Tcp = new StreamCounters("tcp");
        Unix = new StreamCounters("unix");
    }

    public NetInstruments(Meter meter, ActivitySource activities) : this()
    {
        Activities = activities;
        StreamCounters[] all = [Tcp, Unix];
        meter.CreateObservableUpDownCounter("reactor.connection.active", () => Observe(all, c => c.Active), "{connection}",
            "Stream connections open now (accepted, connected or adopted).");
        meter.CreateObservableCounter("reactor.connection.opened", () => Observe(all, c => c.Opened), "{connection}",
            "Stream connections opened.");
        meter.CreateObservableCounter("reactor.connection.closed", () => ObserveClosed(all), "{connection}",
            "Stream connections closed, by reason: done (clean close) or lost (anything else).");
        meter.CreateObservableCounter("reactor.io", () => ObserveBytes(all), "By",
            "Bytes received and sent on stream connections (network.io.direction).");
        _tlsHandshakes = meter.CreateCounter<long>("reactor.tls.handshakes", "{handshake}",
            "TLS handshakes finished, successful or not (error.type set on failure).");
        _tlsDuration = meter.CreateHistogram<double>("reactor.tls.handshake.duration", "s", "Duration of TLS handshakes.", tags: null, DurationBuckets.Network);
        _lookups = meter.CreateCounter<long>("reactor.dns.lookups", "{lookup}",
            "Host name resolutions by the system resolver (error.type set on failure).");
        _lookupDuration = meter.CreateHistogram<double>("reactor.dns.lookup.duration", "s", "Duration of host name resolutions.", tags: null, DurationBuckets.Network);
    }

    /// <summary>TCP connections' counters.</summary>
    public StreamCounters Tcp { get; }

    /// <summary>UNIX stream connections' counters.</summary>
    public StreamCounters Unix { get; }

    /// <summary>Where connect / TLS handshake / name resolution activities start; null when unobserved.</summary>
    public ActivitySource? Activities { get; }

    /// <summary>Starts an activity if anyone listens (otherwise null, at the cost of one check).</summary>
    /// <remarks>
    /// The loop thread runs many connections: the new activity is not left as
    /// <see cref="Activity.Current"/>, or every later activity on the loop would become its child.
    /// </remarks>
    public Activity? StartActivity(string name, ActivityKind kind = ActivityKind.Client)
    {
        if (Activities is not { } source || !source.HasListeners()) return null;
        var previous = Activity.Current;
        var activity = source.StartActivity(name, kind);
        Activity.Current = previous;
        return activity;
    }

    /// <summary>A TLS handshake ended after <paramref name="startTimestamp"/> (Stopwatch); <paramref name="error"/> if it failed.</summary>
    public void TlsHandshakeDone(long startTimestamp, Exception? error) =>
        Record(_tlsHandshakes, _tlsDuration, startTimestamp, error);

    /// <summary>A name resolution ended.</summary>
    public void LookupDone(long startTimestamp, Exception? error) => Record(_lookups, _lookupDuration, startTimestamp, error);

    private static void Record(Counter<long>? counter, Histogram<double>? duration, long startTimestamp, Exception? error)
    {
        if (counter is null || duration is null || !(counter.Enabled || duration.Enabled)) return;
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        if (error is null)
        {
            counter.Add(1);
            duration.Record(seconds);
        }
        else
        {
            var tag = new KeyValuePair<string, object?>("error.type", error.GetType().FullName);
            counter.Add(1, tag);
            duration.Record(seconds, tag);
        }
    }

    private static IEnumerable<Measurement<long>> Observe(StreamCounters[] all, Func<StreamCounters, long> read)
    {
        foreach (var c in all) yield return new Measurement<long>(read(c), new KeyValuePair<string, object?>("network.transport", c.Transport));
    }

    private static IEnumerable<Measurement<long>> ObserveClosed(StreamCounters[] all)
    {
        foreach (var c in all)
        {
            var transport = new KeyValuePair<string, object?>("network.transport", c.Transport);
            yield return new Measurement<long>(c.ClosedDone, transport, Done);
            yield return new Measurement<long>(c.ClosedLost, transport, Lost);
        }
    }

    private static IEnumerable<Measurement<long>> ObserveBytes(StreamCounters[] all)
    {
        foreach (var c in all)
        {
            var transport = new KeyValuePair<string, object?>("network.transport", c.Transport);
            yield return new Measurement<long>(c.BytesReceived, transport, Receive);
            yield return new Measurement<long>(c.BytesSent, transport, Transmit);
        }
    }
}
