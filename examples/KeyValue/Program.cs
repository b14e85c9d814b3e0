using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Examples.KeyValue;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8003 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var idleTimeout = new Option<double>("--idle-timeout") { Description = "seconds a client may stay silent before it is disconnected; 0 for never", DefaultValueFactory = _ => 60 };
var report = new Option<double>("--report") { Description = "seconds between the reports on stderr (keys, connections, commands); 0 for none", DefaultValueFactory = _ => 10 };
var maxKeys = new Option<int>("--max-keys") { Description = "the most keys held; a SET of a new key beyond it answers ERROR full", DefaultValueFactory = _ => 10_000 };
foreach (var seconds in new[] { idleTimeout, report })
{
    seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 0) r.AddError($"{seconds.Name} must be 0 or more"); });
}
maxKeys.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-keys must be at least 1"); });

var command = new RootCommand(
    "A small key-value server over lines (LF or CRLF): SET key value -> OK, GET key -> VALUE value or NOT_FOUND, " +
    "DEL key -> DELETED or NOT_FOUND, QUIT -> BYE and close; anything else -> ERROR. Replies end with LF. " +
    $"A line longer than {KeyValueProtocol.MaxLineLength} bytes gets an ERROR and the connection is closed. " +
    "A client silent for --idle-timeout seconds hears 'BYE idle' and is disconnected. Every --report seconds a " +
    "line on stderr gives the number of keys, connections and commands. Try: nc 127.0.0.1 PORT. The first line of " +
    "output is \"KeyValue listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, idleTimeout, report, maxKeys };
command.SetAction(parsed =>
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    var store = new Store(parsed.GetValue(maxKeys));
    TimeSpan? idle = parsed.GetValue(idleTimeout) is > 0 and var s ? TimeSpan.FromSeconds(s) : null;
    IListeningPort listening;
    try
    {
        listening = reactor.ListenTcp(parsed.GetValue(port), Factory.ForProtocol(() => new KeyValueProtocol(store, reactor, idle)),
            backlog: 4096, @interface: parsed.GetValue(host));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"KeyValue: {error.Message}");
        return 1;
    }

    // The periodic report: a LoopingCall on the reactor's clock, first after one interval.
    if (parsed.GetValue(report) is > 0 and var every)
    {
        var reporter = new LoopingCall(reactor, () => Console.Error.WriteLine(store.Report()));
        reactor.CallWhenRunning(() => reporter.Start(TimeSpan.FromSeconds(every), now: false));
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"KeyValue listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
});
return command.Parse(args).Invoke();
