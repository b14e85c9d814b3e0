using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Net.Unix;
using Reactor.Protocols;
using Reactor.Selectors;

var defaultPath = Path.Combine(Path.GetTempPath(), "reactor-unixecho.sock");
var path = new Option<string>("--path") { Description = "the socket path; '@name' is in the Linux abstract namespace", DefaultValueFactory = _ => defaultPath };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");

var command = new RootCommand(
    "An echo server on a UNIX stream socket: every byte comes back; after the client's FIN it sends what is " +
    "pending, then closes. It holds PATH.lock while it runs: a second server on the same path exits with status 1 " +
    "and a message; a socket file left by a server that died is removed at start; the socket file is removed on a " +
    "clean exit. Try: socat - UNIX-CONNECT:PATH. The first line of output is \"UnixEcho listening on PATH\"; " +
    "SIGTERM or Ctrl-C stops it cleanly.") { path, selector };
command.SetAction(parsed =>
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    IListeningPort listening;
    try
    {
        // wantPid: the lock file that keeps a second server off the path and clears a dead one's socket.
        listening = reactor.ListenUnix(parsed.GetValue(path)!, Factory.For<UnixEchoProtocol>(), backlog: 4096, wantPid: true);
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"UnixEcho: {error.Message}");
        return 1;
    }
    // Stop listening as the reactor shuts down: the socket file and the lock file go with it.
    reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => listening.StopListening());
    reactor.CallWhenRunning(() => Console.WriteLine($"UnixEcho listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
});
return command.Parse(args).Invoke();

/// <summary>Sends back every byte; after the client's FIN it sends what is pending, then closes.</summary>
sealed class UnixEchoProtocol : Protocol, IHalfCloseableProtocol
{
    public override void ConnectionMade() => Transport.RegisterProducer(Transport, streaming: true);

    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

    public void ReadConnectionLost() => Transport.LoseConnection();

    public void WriteConnectionLost() { }
}
