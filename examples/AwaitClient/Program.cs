using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Examples.AwaitClient;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using Reactor.Selectors;

var host = new Option<string>("--host") { Description = "the server's host name or address", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port") { Description = "the server's TCP port", DefaultValueFactory = _ => 8003 };
var connect = new Option<string?>("--connect") { Description = "a client endpoint string instead of --host/--port, e.g. unix:/tmp/kv.sock" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var timeout = new Option<double>("--timeout") { Description = "seconds to wait for the connection, and for each reply", DefaultValueFactory = _ => 10 };
timeout.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) r.AddError("--timeout must be more than 0"); });
var lines = new Argument<string[]>("line") { Description = "the lines to send, one reply awaited after each", Arity = ArgumentArity.OneOrMore };

var command = new RootCommand(
    "A client written with await: connects to a line-based server (KeyValue, Echo, ...), sends each LINE, awaits " +
    "the line that answers it and prints it on stdout, then closes. Exits 0 when every line was answered; 1 when " +
    "the connection fails, a reply does not come within --timeout, or the server closes first (said on stderr). " +
    "Try: AwaitClient --port 8003 \"SET greeting hello\" \"GET greeting\".")
    { host, port, connect, selector, timeout, lines };
command.SetAction(parsed =>
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    var limit = TimeSpan.FromSeconds(parsed.GetValue(timeout));
    IStreamClientEndpoint endpoint;
    try
    {
        endpoint = parsed.GetValue(connect) is { } description
            ? EndpointStrings.ClientFromString(reactor, description)
            : new HostnameEndpoint(reactor, parsed.GetValue(host)!, parsed.GetValue(port), limit);
    }
    catch (Exception error) when (error is EndpointParseError or ArgumentException)
    {
        Console.Error.WriteLine($"AwaitClient: {error.Message}");
        return 1;
    }
    // task.react: run the reactor until the async method's Deferred fires; its int is the exit code.
    return reactor.React(() => Deferred.EnsureDeferred(() => Talk(reactor, endpoint, parsed.GetValue(lines)!, limit)));
});
return command.Parse(args).Invoke();

// Each await resumes on the reactor thread, so this reads like blocking code but blocks nothing.
static async Task<int> Talk(ReactorLoop reactor, IStreamClientEndpoint endpoint, string[] lines, TimeSpan timeout)
{
    LineClient client;
    try
    {
        client = (LineClient)await endpoint.Connect(Factory.For<LineClient>()).AddTimeout(timeout, reactor);
    }
    catch (ConnectError error)
    {
        Console.Error.WriteLine($"AwaitClient: cannot connect: {error.Message}");
        return 1;
    }
    try
    {
        foreach (var line in lines)
        {
            var reply = await client.Ask(line).AddTimeout(timeout, reactor);
            Console.WriteLine(reply);
        }
        return 0;
    }
    catch (TimeoutError)
    {
        Console.Error.WriteLine($"AwaitClient: no reply within {timeout.TotalSeconds:0.#} s");
        return 1;
    }
    catch (ConnectionError error)
    {
        Console.Error.WriteLine($"AwaitClient: the server closed the connection before replying ({error.GetType().Name})");
        return 1;
    }
    finally
    {
        client.Transport.LoseConnection();
    }
}
