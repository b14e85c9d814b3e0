using Reactor.Examples;
using Reactor.Examples.Chat;
using Reactor.Protocols;

const string Name = "Chat";
var options = ExampleHost.Parse(
    Name,
    "A line-based chat server: each line a client sends (LF or CRLF) is relayed, unchanged and ended\n" +
    "with LF, to every other client, never back to the sender. There is no handshake.\n" +
    $"A line longer than {ChatRoom.MaxLineLength} bytes disconnects its sender (the others are unaffected).\n" +
    $"A client that stops reading is dropped once more than {ChatRoom.SlowReaderLimit} bytes wait for it.",
    defaultPort: 8001, args, modes: [], extraOptions: new Dictionary<string, string>(), out var exitCode);
if (options is null) return exitCode;

var reactor = ExampleHost.CreateReactor(options);
var room = new ChatRoom();
var port = ExampleEndpoints.Listen(Name, reactor, options, Factory.ForProtocol(() => new ChatClient(room)));
if (port is null) return 1;
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
