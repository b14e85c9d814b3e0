using Reactor;
using Reactor.Examples;
using Reactor.Examples.FramedEcho;
using Reactor.Net;
using Reactor.Protocols;

const string Name = "FramedEcho";
var options = ExampleHost.Parse(
    Name,
    "A TCP echo server that speaks in frames: each frame received goes back as one frame of the same\n" +
    "kind. Framings: line (LF-terminated; CRLF clients get CRLF back), int8/int16/int32 (big-endian\n" +
    "length prefix, as Twisted's IntNStringReceiver), netstring (LEN:DATA,), fixed:N (N-byte frames).\n" +
    "A frame past --max-length gets the receiver's documented reaction: the connection is closed\n" +
    "(a line: LineLengthExceeded; a prefix: LengthLimitExceeded before any payload is read; a\n" +
    "netstring: a parse error); other connections are unaffected.",
    defaultPort: 8002, args, modes: [], extraOptions: new Dictionary<string, string>
    {
        ["framing"] = $"{Framing.Choices} (default line)",
        ["max-length"] = "the receiver's MaxLength in bytes (defaults: line 16384, int/netstring 99999)",
    }, out var exitCode);
if (options is null) return exitCode;

var framing = new Framing(FramingKind.Line, 0);
if (options.Extra.TryGetValue("framing", out var framingText) && !Framing.TryParse(framingText, out framing))
{
    Console.Error.WriteLine($"{Name}: --framing must be one of {Framing.Choices}, not '{framingText}' (see --help)");
    return 2;
}
int? maxLength = null;
if (options.Extra.TryGetValue("max-length", out var maxText))
{
    if (!int.TryParse(maxText, out var max) || max < 0)
    {
        Console.Error.WriteLine($"{Name}: --max-length must be a non-negative number, not '{maxText}' (see --help)");
        return 2;
    }
    maxLength = max;
}

var reactor = ExampleHost.CreateReactor(options);
IListeningPort port;
try
{
    port = reactor.ListenTcp(options.Port, Factory.ForProtocol(() => EchoReceivers.Create(framing, maxLength)), ExampleHost.Backlog, options.Host);
}
catch (CannotListenError ex)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return 1;
}
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
