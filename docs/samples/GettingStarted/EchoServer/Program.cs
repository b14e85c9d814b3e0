using Reactor;
using Reactor.Protocols;

var port = args.Length > 0 ? int.Parse(args[0]) : 8000;
using var reactor = ReactorLoop.Create();
var listening = reactor.ListenTcp(port, Factory.For<Echo>(), @interface: "127.0.0.1");
reactor.CallWhenRunning(() => Console.WriteLine($"Echo server on {listening.GetHost()}; Ctrl-C stops it"));
reactor.Run();

class Echo : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}
