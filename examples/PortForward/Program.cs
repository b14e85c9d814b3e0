using System.CommandLine;
using System.Net;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.PortForward;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8002 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var target = new Option<DnsEndPoint>("--target")
{
    Description = "HOST:PORT to forward to",
    Required = true,
    CustomParser = result => TryParseHostPort(result.Tokens[0].Value) ?? Fail(result, "--target must be HOST:PORT"),
};

var command = new RootCommand(
    "A TCP port forwarder: each client that connects gets a connection to --target, and bytes flow both ways. " +
    "Backpressure both ways keeps memory bounded (a side that cannot send pauses reading on the other); " +
    "a half-close (FIN) is passed through; a client is closed if the target is unreachable. " +
    "The first line of output is \"PortForward listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, target };
command.SetAction(parsed =>
{
    var to = parsed.GetValue(target)!;
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    IListeningPort listening;
    try
    {
        // Each accepted client gets an InboundEnd, which connects to the target with ConnectTcp.
        listening = reactor.ListenTcp(parsed.GetValue(port), Factory.ForProtocol(() => new InboundEnd(reactor, to.Host, to.Port)),
            backlog: 4096, @interface: parsed.GetValue(host));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"PortForward: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"PortForward listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
});
return command.Parse(args).Invoke();

// HOST:PORT, an IPv6 host in brackets: [::1]:8000.
static DnsEndPoint? TryParseHostPort(string text)
{
    var colon = text.LastIndexOf(':');
    if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535) return null;
    var host = text[..colon].Trim('[', ']');
    return host.Length == 0 ? null : new DnsEndPoint(host, port);
}

static DnsEndPoint? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
{
    result.AddError(message);
    return null;
}
