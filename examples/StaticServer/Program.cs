using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Selectors;
using Reactor.Web.Server;
using Reactor.Web.Static;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8080 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var root = new Option<string>("--root") { Description = "the folder to serve (default: the current folder)", DefaultValueFactory = _ => "." };
var noListing = new Option<bool>("--no-listing") { Description = "answer 404 for a folder without index.html instead of listing it" };

var command = new RootCommand(
    "An HTTP/1.1 file server on Reactor.Web: serves the files under --root with their content type, ETag and " +
    "Last-Modified (conditional requests get 304), single Range requests (206, 416), a folder's index.html or " +
    "a listing. Files are sent piece by piece as the client reads, so memory stays bounded for any file size. " +
    "HttpHello's protocol rules apply: keep-alive, pipelining, Connection: close, HTTP/1.0, errors answered then " +
    "closed. The first line of output is \"StaticServer listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, root, noListing };
command.SetAction(parsed =>
{
    var folder = Path.GetFullPath(parsed.GetValue(root)!);
    if (!Directory.Exists(folder))
    {
        Console.Error.WriteLine($"StaticServer: --root {folder} is not a folder");
        return 2;
    }
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    var site = new Site(new StaticFile(folder, listDirectories: !parsed.GetValue(noListing)), reactor);
    IListeningPort listening;
    try
    {
        listening = reactor.ListenTcp(parsed.GetValue(port), site, backlog: 4096, @interface: parsed.GetValue(host));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"StaticServer: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() =>
    {
        Console.WriteLine($"StaticServer listening on {listening.GetHost()}");
        Console.Error.WriteLine($"StaticServer: serving {folder}");
    });
    reactor.Run();
    return 0;
});
return command.Parse(args).Invoke();
