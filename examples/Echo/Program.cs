using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Examples.Echo;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using Reactor.Selectors;

// The command line: System.CommandLine parses it, prints --help and reports usage errors.
var port = new Option<int>("--port") { Description = "TCP port to listen on (client: to connect to); 0 picks a free port", DefaultValueFactory = _ => 8000 };
var host = new Option<string>("--host") { Description = "address to listen on (client: to connect to); loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var listen = new Option<string?>("--listen") { Description = "a server endpoint string instead of --port/--host, e.g. unix:/tmp/echo.sock or tcp6:8000:interface=\\:\\:1" };
var loops = new Option<int>("--loops") { Description = "serve on N reactor loops, one thread and selector each (N cores); with --port/--host only", DefaultValueFactory = _ => 1 };
loops.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1) result.AddError("--loops must be at least 1");
});
var spread = new Option<GroupListenMode?>("--spread") { Description = "with --loops N > 1, how connections reach the loops: reuseport (a SO_REUSEPORT socket per loop; the default on Linux) or handoff (one loop accepts and deals them out in turns; the default elsewhere)" };
spread.AcceptOnlyFromAmong("reuseport", "handoff");
var connect = new Option<string?>("--connect") { Description = "a client endpoint string instead of --host/--port, e.g. unix:/tmp/echo.sock or tls:localhost:8443" };

var server = new RootCommand(
    "A TCP echo server: every byte a client sends comes back. After a client's FIN (half-close) it sends " +
    "whatever is still pending, then closes. The first line of output is \"Echo listening on ADDRESS\"; " +
    "SIGTERM or Ctrl-C stops it cleanly.") { port, host, selector, listen, loops, spread };
var client = new Command("client",
    "Sends standard input line by line to the server, prints what comes back, and half-closes at the end of input.")
    { port, host, selector, connect };
server.Subcommands.Add(client);
server.SetAction(parsed => parsed.GetValue(loops) == 1
    ? Serve(parsed.GetValue(selector), parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(listen))
    : ServeOnLoops(parsed.GetValue(selector), parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(listen), parsed.GetValue(loops), parsed.GetValue(spread) ?? GroupListenMode.Default));
client.SetAction(parsed => Connect(parsed.GetValue(selector), parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(connect)));
return server.Parse(args).Invoke();

static int Serve(SelectorKind? selector, string host, int port, string? listen)
{
    // With no logger given, errors go to stderr; Ctrl-C and SIGTERM stop Run through the shutdown.
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    var factory = Factory.For<EchoProtocol>();
    var exitCode = 0;
    if (listen is null)
    {
        IListeningPort listening;
        try
        {
            listening = reactor.ListenTcp(port, factory, backlog: 4096, @interface: host);
        }
        catch (Exception error) when (error is CannotListenError or ArgumentException)
        {
            Console.Error.WriteLine($"Echo: {error.Message}");
            return 1;
        }
        // Printed once Run has started, so a script that reads it and signals at once gets a clean stop.
        reactor.CallWhenRunning(() => Console.WriteLine($"Echo listening on {listening.GetHost()}"));
    }
    else
    {
        // An endpoint string: the same server on TCP, TCP6, a UNIX socket or TLS.
        IStreamServerEndpoint endpoint;
        try
        {
            endpoint = EndpointStrings.ServerFromString(reactor, listen);
        }
        catch (Exception error) when (error is EndpointParseError or ArgumentException)
        {
            Console.Error.WriteLine($"Echo: {error.Message}");
            return 1;
        }
        reactor.CallWhenRunning(() => endpoint.Listen(factory)
            .AddCallback(listening => Console.WriteLine($"Echo listening on {listening.GetHost()}"))
            .AddErrback(failure =>
            {
                Console.Error.WriteLine($"Echo: {failure.Value.Message}");
                exitCode = 1;
                reactor.Stop();
            }));
    }
    reactor.Run();
    return exitCode;
}

static int ServeOnLoops(SelectorKind? selector, string host, int port, string? listen, int loops, GroupListenMode spread)
{
    if (listen is not null)
    {
        Console.Error.WriteLine("Echo: --loops N > 1 listens with --port and --host, not --listen");
        return 1;
    }
    // N loops on N threads; each connection stays on the loop that took it. Ctrl-C and SIGTERM stop them all.
    using var group = ReactorGroup.Create(loops, new ReactorOptions { Selector = selector });
    IListeningPort listening;
    try
    {
        listening = group.ListenTcp(port, _ => Factory.For<EchoProtocol>(), backlog: 4096, @interface: host, mode: spread);
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"Echo: {error.Message}");
        return 1;
    }
    group.Loops[0].CallWhenRunning(() => Console.WriteLine($"Echo listening on {listening.GetHost()}"));
    group.Run();
    return 0;
}

static int Connect(SelectorKind? selector, string host, int port, string? connect)
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    var client = new EchoClient(reactor);
    var failed = false;
    if (connect is null)
    {
        reactor.ConnectTcp(host, port, new EchoClientFactory(client, reactor, () => failed = true));
    }
    else
    {
        EndpointStrings.ClientFromString(reactor, connect).ConnectProtocol(client).AddErrback(failure =>
        {
            Console.Error.WriteLine($"Echo client: cannot connect to {connect}: {failure.GetErrorMessage()}");
            failed = true;
            reactor.Stop();
        });
    }
    reactor.Run();
    return failed ? 1 : client.ExitCode;
}

/// <summary>Sends back every byte it receives; after the client's FIN it sends what is pending, then closes.</summary>
/// <remarks>
/// A client that does not read its echoes is not read from either: the transport is registered as
/// its own producer, so reading pauses while its output is over the high-water mark.
/// </remarks>
sealed class EchoProtocol : Protocol, IHalfCloseableProtocol
{
    public override void ConnectionMade() => Transport.RegisterProducer(Transport, streaming: true);

    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

    /// <summary>The client is done sending: finish echoing, then close.</summary>
    public void ReadConnectionLost() => Transport.LoseConnection();

    public void WriteConnectionLost() { }
}

/// <summary>Builds the one client protocol and stops the reactor if the connection cannot be made.</summary>
sealed class EchoClientFactory(EchoClient client, ReactorLoop reactor, Action onFailure) : ClientFactory(() => client)
{
    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        Console.Error.WriteLine($"Echo client: cannot connect to {connector.GetDestination()}: {reason.GetErrorMessage()}");
        onFailure();
        reactor.Stop();
    }
}
