using Reactor.Examples;
using Reactor.Examples.PortForward;
using Reactor.Protocols;

const string Name = "PortForward";
var options = ExampleHost.Parse(
    Name,
    "A TCP port forwarder: each client that connects gets a connection to --target, and bytes flow\n" +
    "both ways. Backpressure both ways keeps memory bounded (a side that cannot send pauses reading on\n" +
    "the other); a half-close (FIN) is passed through; a client is closed if the target is unreachable.",
    defaultPort: 8002, args, modes: [], extraOptions: new Dictionary<string, string> { ["target"] = "HOST:PORT to forward to (required)" },
    out var exitCode);
if (options is null) return exitCode;
if (!options.Extra.TryGetValue("target", out var target) || !ExampleHost.TryParseHostPort(target, out var targetHost, out var targetPort))
{
    Console.Error.WriteLine($"{Name}: --target HOST:PORT is required (see --help)");
    return 2;
}

var reactor = ExampleHost.CreateReactor(options);
var port = ExampleEndpoints.Listen(Name, reactor, options, Factory.ForProtocol(() => new InboundEnd(reactor, targetHost, targetPort)));
if (port is null) return 1;
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
