using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Examples.HostedEcho;
using Reactor.Hosting;
using Reactor.Protocols;

// The echo server inside the .NET Generic Host. Everything comes from configuration:
// appsettings.json (beside the program), REACTOR__... environment variables, and the command line,
// where --port N, --listen ENDPOINT and --selector KIND are short for the keys below.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json is read from beside the program, wherever it is started from.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
{
    ["--port"] = "HostedEcho:Port",
    ["--listen"] = "Reactor:Listeners:Echo",
    ["--selector"] = "Reactor:Selector",
});
if (builder.Configuration["HostedEcho:Port"] is { } port)
{
    builder.Configuration["Reactor:Listeners:Echo"] = $"tcp:{port}:interface=127.0.0.1";
}
// The first line of stdout is the address (the examples' contract): logs go to stderr.
builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<EchoProtocol>());

using var host = builder.Build();
try
{
    await host.StartAsync();
}
catch (Exception error)
{
    // A bad setting names its key; a busy port says which address.
    Console.Error.WriteLine($"HostedEcho: {error.Message}");
    return 1;
}

var hosted = host.Services.GetRequiredService<ReactorHostedService>();
var reactor = hosted.Reactor!;
Console.WriteLine($"HostedEcho listening on {hosted.GetListener("Echo").Port!.GetHost()}");
Console.Out.Flush();
// SIGTERM / Ctrl-C stop the host, which runs the reactor's shutdown: this trigger shows it.
reactor.CallFromThread(() => reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown,
    () => Console.Error.WriteLine("HostedEcho: shutdown triggers ran")));

await host.WaitForShutdownAsync();
return 0;
