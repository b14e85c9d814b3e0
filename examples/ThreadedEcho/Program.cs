using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Net.Blocking;
using Reactor.Selectors;

// ThreadedEcho: the seeds' socketserver echo (ThreadingMixIn + StreamRequestHandler) written as a
// blocking handler: each connection is served on one of --workers threads with plain blocking
// Read/Write calls, while all socket I/O stays on the reactor thread.
var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8000 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var workers = new Option<int>("--workers") { Description = "worker threads, each serving one connection at a time", DefaultValueFactory = _ => 16 };
var maxQueued = new Option<int>("--max-queued") { Description = "connections that may wait for a free worker; more are closed at once", DefaultValueFactory = _ => 1024 };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)" };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select");
var root = new RootCommand(
    "A TCP echo server whose connections are served by blocking handlers on --workers threads. Every byte comes back; " +
    "after a client's FIN the rest is sent, then the connection closes. When every worker is busy a connection waits " +
    "(up to --max-queued, in arrival order), then is closed. The first line of output is \"ThreadedEcho listening on ADDRESS\"; " +
    "SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, workers, maxQueued, selector };
root.SetAction(parsed => Serve(parsed.GetValue(selector), parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(workers), parsed.GetValue(maxQueued)));
return root.Parse(args).Invoke();

static int Serve(SelectorKind? selector, string host, int port, int workers, int maxQueued)
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    IListeningPort listening;
    try
    {
        var factory = new BlockingHandlerFactory(reactor, Echo, new BlockingHandlerOptions { Workers = workers, MaxQueued = maxQueued });
        listening = reactor.ListenTcp(port, factory, backlog: 4096, @interface: host);
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"ThreadedEcho: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"ThreadedEcho listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
}

// The handler, as a socketserver user writes it: read until end of input, write back what came.
// It runs on a worker thread; Read blocks until data or the client's FIN, Write blocks while the
// client is not reading.
static void Echo(BlockingConnection connection)
{
    var buffer = new byte[16 * 1024];
    int n;
    while ((n = connection.Stream.Read(buffer)) > 0) connection.Stream.Write(buffer, 0, n);
}
