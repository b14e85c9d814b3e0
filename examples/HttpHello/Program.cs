using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.HttpHello;
using Reactor.Net;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8080 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var maxHeaderBytes = new Option<int>("--max-header-bytes")
{
    Description = "limit on the request line, and on the header section, in bytes (at least 64)",
    DefaultValueFactory = _ => HelloResource.DefaultMaxHeaderBytes,
};
maxHeaderBytes.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 64) result.AddError("--max-header-bytes must be at least 64");
});
var headerTimeout = new Option<double>("--header-timeout")
{
    Description = "seconds from the first byte of a request to the end of its headers; a client that stalls in between (a slow-headers attack) gets 408 and is disconnected",
    DefaultValueFactory = _ => 30,
};
headerTimeout.Validators.Add(result =>
{
    if (!(result.GetValueOrDefault<double>() > 0)) result.AddError("--header-timeout must be a positive number of seconds");
});

var loops = new Option<int>("--loops") { Description = "serve on N reactor loops, one thread and selector each (N cores)", DefaultValueFactory = _ => 1 };
loops.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1) result.AddError("--loops must be at least 1");
});
var spread = new Option<GroupListenMode?>("--spread") { Description = "with --loops N > 1, how connections reach the loops: reuseport (a SO_REUSEPORT socket per loop; the default on Linux) or handoff (one loop accepts and deals them out in turns; the default elsewhere)" };
spread.AcceptOnlyFromAmong("reuseport", "handoff");

var command = new RootCommand(
    "A minimal HTTP/1.1 server on Reactor.Web: every request gets 200 OK with the text body \"Hello, World!\", " +
    "except /json, which gets {\"message\":\"Hello, World!\"} (serialized per request). Keep-alive and pipelining " +
    "by default (the responses to one read go out in one write); Content-Length on every response; " +
    "'Connection: close' and HTTP/1.0 honoured; request bodies (Content-Length or chunked) are read and dropped. " +
    "Errors close the connection after the response: 400 malformed request line or header (or HTTP/1.1 without " +
    "Host), 408 too slow, 413 body too large, 414 request line over the limit, 431 header section over the " +
    "limit, 501 unsupported Transfer-Encoding, 505 HTTP/2 and up. The first line of output is " +
    "\"HttpHello listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, maxHeaderBytes, headerTimeout, loops, spread };
command.SetAction(parsed =>
{
    var limit = parsed.GetValue(maxHeaderBytes);
    var headersTimeout = TimeSpan.FromSeconds(parsed.GetValue(headerTimeout));
    var options = new ReactorOptions { Selector = parsed.GetValue(selector) };
    // One loop: a plain reactor. N loops: a group, each loop with its own site, so no request state is shared between threads.
    using var group = parsed.GetValue(loops) > 1 ? ReactorGroup.Create(parsed.GetValue(loops), options) : null;
    using var reactor = group is null ? ReactorLoop.Create(options) : null;
    IListeningPort listening;
    try
    {
        listening = group is null
            ? reactor!.ListenTcp(parsed.GetValue(port), HelloResource.CreateSite(reactor, limit, headersTimeout), backlog: 4096, @interface: parsed.GetValue(host))
            : group.ListenTcp(parsed.GetValue(port), loop => HelloResource.CreateSite(loop, limit, headersTimeout), backlog: 4096,
                @interface: parsed.GetValue(host), mode: parsed.GetValue(spread) ?? GroupListenMode.Default);
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"HttpHello: {error.Message}");
        return 1;
    }
    var first = reactor ?? group!.Loops[0];
    first.CallWhenRunning(() => Console.WriteLine($"HttpHello listening on {listening.GetHost()}"));
    if (group is null) reactor!.Run();
    else group.Run();
    return 0;
});
return command.Parse(args).Invoke();
