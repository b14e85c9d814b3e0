using Reactor;
using Reactor.Examples;
using Reactor.Examples.HttpHello;
using Reactor.Net;
using Reactor.Protocols;

const string Name = "HttpHello";
var options = ExampleHost.Parse(
    Name,
    "A minimal HTTP/1.1 server: every request gets 200 OK with the text body \"Hello, World!\".\n" +
    "Keep-alive and pipelining by default (the responses to one read go out in one write);\n" +
    "Content-Length on every response; 'Connection: close' and HTTP/1.0 honoured; request bodies\n" +
    "with Content-Length are read and dropped. Errors close the connection after the response:\n" +
    "400 malformed request line or header (or HTTP/1.1 without Host), 414 request line over the\n" +
    "header limit, 431 header section over the limit, 501 Transfer-Encoding, 505 HTTP/2 and up.",
    defaultPort: 8080, args, modes: [],
    extraOptions: new Dictionary<string, string>
    {
        ["max-header-bytes"] = $"limit on the request line plus headers, in bytes (default {HttpHelloProtocol.DefaultMaxHeaderBytes}, at least 64)",
    },
    out var exitCode);
if (options is null) return exitCode;

var maxHeaderBytes = HttpHelloProtocol.DefaultMaxHeaderBytes;
if (options.Extra.TryGetValue("max-header-bytes", out var limitText) && (!int.TryParse(limitText, out maxHeaderBytes) || maxHeaderBytes < 64))
{
    Console.Error.WriteLine($"{Name}: --max-header-bytes must be a number of at least 64, not '{limitText}' (see --help)");
    return 2;
}

var reactor = ExampleHost.CreateReactor(options);
var date = new HttpDate();
IListeningPort port;
try
{
    port = reactor.ListenTcp(options.Port, Factory.ForProtocol(() => new HttpHelloProtocol(reactor, date, maxHeaderBytes)),
        ExampleHost.Backlog, options.Host);
}
catch (CannotListenError ex)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return 1;
}
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
