using System.CommandLine;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.TelemetryEcho;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;

// The command line: System.CommandLine parses it, prints --help and reports usage errors.
var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8001 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var interval = new Option<int>("--export-interval") { Description = "seconds between metric exports (a last export always happens at exit)", DefaultValueFactory = _ => 10 };
interval.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1) result.AddError("--export-interval must be at least 1 second");
});
var export = new Option<string>("--export") { Description = "console: export to standard output; none: no OpenTelemetry at all (nobody listens to the Meter: the baseline benchmarks/compare.sh --metrics compares with)", DefaultValueFactory = _ => "console" };
export.AcceptOnlyFromAmong("console", "none");

var command = new RootCommand(
    "Echo with OpenTelemetry: the reactor's metrics (Meter \"Reactor\": connections, bytes, loop iterations, timers…) " +
    "and traces (ActivitySource \"Reactor\": connect, TLS handshake, name resolution) go to the OpenTelemetry console " +
    "exporter on standard output, every --export-interval seconds and once more at exit. The first line of output is " +
    "\"TelemetryEcho listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, interval, export };
command.SetAction(parsed =>
{
    // The SDK listens to the reactor's Meter and ActivitySource by name: nothing in the reactor knows about it.
    var exporting = parsed.GetValue(export) == "console";
    #region providers
    using var meters = exporting
        ? Sdk.CreateMeterProviderBuilder()
            .AddMeter(ReactorInstrumentation.MeterName)
            .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = parsed.GetValue(interval) * 1000)
            .Build()
        : null;
    using var traces = exporting
        ? Sdk.CreateTracerProviderBuilder()
            .AddSource(ReactorInstrumentation.ActivitySourceName)
            .AddConsoleExporter()
            .Build()
        : null;
    #endregion

    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    IListeningPort listening;
    try
    {
        listening = reactor.ListenTcp(parsed.GetValue(port), Factory.For<EchoProtocol>(), backlog: 4096, @interface: parsed.GetValue(host));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"TelemetryEcho: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"TelemetryEcho listening on {listening.GetHost()}"));
    reactor.Run();
    // The last export, while the reactor (and its observable instruments) still exists.
    meters?.ForceFlush();
    traces?.ForceFlush();
    return 0;
});
return command.Parse(args).Invoke();
