using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.Chat;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8001 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var listen = new Option<string?>("--listen") { Description = "a server endpoint string instead of --port/--host, e.g. unix:/tmp/chat.sock" };
var idleTimeout = new Option<double>("--idle-timeout")
{
    Description = $"seconds a client may send nothing before it is told so and disconnected; 0 never disconnects (default {ChatRoom.DefaultIdleTimeout.TotalSeconds})",
    DefaultValueFactory = _ => ChatRoom.DefaultIdleTimeout.TotalSeconds,
};
idleTimeout.Validators.Add(result =>
{
    if (!(result.GetValueOrDefault<double>() >= 0)) result.AddError("--idle-timeout must be a number of seconds, 0 or more");
});

var command = new RootCommand(
    "A line-based chat server: each line a client sends (LF or CRLF) is relayed, unchanged and ended with LF, " +
    "to every other client, never back to the sender. There is no handshake. " +
    $"A line longer than {ChatRoom.MaxLineLength} bytes disconnects its sender (the others are unaffected), after an error line " +
    "the sender is sure to receive (a lingering close: the server half-closes and drops the rest of its input for up to 2 s). " +
    "A client that sends nothing for --idle-timeout seconds is disconnected the same way. " +
    $"A client that stops reading is dropped once more than {ChatRoom.SlowReaderLimit} bytes wait for it. " +
    "The first line of output is \"Chat listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, listen, idleTimeout };
command.SetAction(parsed => Serve(parsed.GetValue(selector), parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(listen),
    parsed.GetValue(idleTimeout) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null));
return command.Parse(args).Invoke();

static int Serve(SelectorKind? selector, string host, int port, string? listen, TimeSpan? idleTimeout)
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    var room = new ChatRoom(reactor, idleTimeout);
    var factory = Factory.ForProtocol(() => new ChatClient(room));
    var exitCode = 0;
    try
    {
        if (listen is null)
        {
            var listening = reactor.ListenTcp(port, factory, backlog: 4096, @interface: host);
            reactor.CallWhenRunning(() => Console.WriteLine($"Chat listening on {listening.GetHost()}"));
        }
        else
        {
            // Any server endpoint string (TCP6, UNIX, TLS): Listen's Deferred says where, or why not.
            var endpoint = EndpointStrings.ServerFromString(reactor, listen);
            reactor.CallWhenRunning(() => endpoint.Listen(factory)
                .AddCallback(listening => Console.WriteLine($"Chat listening on {listening.GetHost()}"))
                .AddErrback(failure =>
                {
                    Console.Error.WriteLine($"Chat: {failure.Value.Message}");
                    exitCode = 1;
                    reactor.Stop();
                }));
        }
    }
    catch (Exception error) when (error is CannotListenError or EndpointParseError or ArgumentException)
    {
        Console.Error.WriteLine($"Chat: {error.Message}");
        return 1;
    }
    reactor.Run();
    return exitCode;
}
