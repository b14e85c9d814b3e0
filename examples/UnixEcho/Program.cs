using Reactor;
using Reactor.Core;
using Reactor.Examples;
using Reactor.Examples.Echo;
using Reactor.Net;
using Reactor.Protocols;

const string Name = "UnixEcho";
var defaultPath = Path.Combine(Path.GetTempPath(), "reactor-unixecho.sock");
var options = ExampleHost.Parse(
    Name,
    "An echo server on a UNIX stream socket: every byte comes back; after the client's FIN it sends\n" +
    "what is pending, then closes. It holds PATH.lock while it runs: a second server on the same\n" +
    "path exits with status 1 and a message; a socket file left by a server that died is removed at\n" +
    "start; the socket file is removed on a clean exit. A path starting with '@' is in the Linux\n" +
    $"abstract namespace. --port and --host do not apply. Try: socat - UNIX-CONNECT:PATH",
    defaultPort: 0, args, modes: [],
    extraOptions: new Dictionary<string, string> { ["path"] = $"the socket path (default {defaultPath})" },
    out var exitCode);
if (options is null) return exitCode;

var path = options.Extra.GetValueOrDefault("path", defaultPath);
var reactor = ExampleHost.CreateReactor(options);
var port = ExampleEndpoints.Listen(Name, reactor, options, Factory.For<EchoProtocol>(),
    fallback: $"unix:{Reactor.Net.Endpoints.EndpointDescription.Quote(path)}:lockfile=1:backlog={ExampleHost.Backlog}");
if (port is null) return 1;
// Stop listening as the reactor shuts down: the socket file and the lock file go with it.
reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => port.StopListening());
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
