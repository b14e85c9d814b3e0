using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.FramedEcho;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Protocols.Policies;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8002 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var framing = new Option<Framing>("--framing")
{
    Description = $"{Framing.Choices}",
    HelpName = "framing",
    DefaultValueFactory = _ => new Framing(FramingKind.Line, 0),
    CustomParser = result =>
    {
        if (Framing.TryParse(result.Tokens[0].Value, out var parsed)) return parsed;
        result.AddError($"--framing must be one of {Framing.Choices}, not '{result.Tokens[0].Value}'");
        return default;
    },
};
var delimiter = new Option<LineDelimiter>("--delimiter")
{
    Description = "line framing's delimiter: crlf (Twisted's LineReceiver; talk to it with `nc -C`) or lf",
    HelpName = "crlf|lf",
    DefaultValueFactory = _ => LineDelimiter.Crlf,
    CustomParser = result => result.Tokens[0].Value switch
    {
        "crlf" => LineDelimiter.Crlf,
        "lf" => LineDelimiter.Lf,
        var other => Invalid(result, other),
    },
};
var maxLength = new Option<int?>("--max-length") { Description = "the receiver's MaxLength in bytes, Twisted's MAX_LENGTH: the longest frame accepted, delimiter not counted (defaults: line 16384, int/netstring 99999)" };
maxLength.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int?>() < 0) result.AddError("--max-length must not be negative");
});
var idleTimeout = new Option<double>("--idle-timeout")
{
    Description = "seconds a connection may stay idle (nothing received, nothing sent) before it is closed; 0 never closes it",
    DefaultValueFactory = _ => 300,
};
idleTimeout.Validators.Add(result =>
{
    if (!(result.GetValueOrDefault<double>() >= 0)) result.AddError("--idle-timeout must be a number of seconds, 0 or more");
});

var command = new RootCommand(
    "A TCP echo server that speaks in frames: each frame received goes back as one frame of the same kind. " +
    "Framings: line (CRLF-terminated like Twisted's LineReceiver, so use `nc -C`; --delimiter lf for LF lines), int8/int16/int32 (big-endian length prefix, " +
    "as Twisted's IntNStringReceiver), netstring (LEN:DATA,), fixed:N (N-byte frames). A frame past --max-length " +
    "gets the receiver's documented reaction: the connection is closed (a line: LineLengthExceeded; a prefix: " +
    "LengthLimitExceeded before any payload is read; a netstring: a parse error) with a lingering close, so the echoes " +
    "already sent still arrive; other connections are unaffected. A connection idle for --idle-timeout seconds is closed. " +
    "The first line of output is \"FramedEcho listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, framing, delimiter, maxLength, idleTimeout };
command.SetAction(parsed =>
{
    var kind = parsed.GetValue(framing);
    var limit = parsed.GetValue(maxLength);
    var lineDelimiter = parsed.GetValue(delimiter);
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    IListeningPort listening;
    try
    {
        IProtocolFactory factory = Factory.ForProtocol(() => EchoReceivers.Create(kind, limit, reactor, lineDelimiter));
        if (parsed.GetValue(idleTimeout) is > 0 and var seconds) factory = new TimeoutFactory(factory, reactor, TimeSpan.FromSeconds(seconds));
        listening = reactor.ListenTcp(parsed.GetValue(port), factory, backlog: 4096, @interface: parsed.GetValue(host));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"FramedEcho: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"FramedEcho listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
});
return command.Parse(args).Invoke();

static LineDelimiter Invalid(System.CommandLine.Parsing.ArgumentResult result, string value)
{
    result.AddError($"--delimiter must be crlf or lf, not '{value}'");
    return default;
}
