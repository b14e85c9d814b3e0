using System.Text;
using Reactor;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;

var port = args.Length > 0 ? int.Parse(args[0]) : 8000;
using var reactor = ReactorLoop.Create();
reactor.ConnectTcp("127.0.0.1", port, new HelloFactory(reactor));
reactor.Run();

// Sends one line, prints what comes back, and closes.
class Hello(ReactorLoop reactor) : Protocol
{
    public override void ConnectionMade() => Transport.Write("hello, reactor\n"u8);

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        Console.Write(Encoding.UTF8.GetString(data));
        Transport.LoseConnection();
    }

    public override void ConnectionLost(Failure reason) => reactor.Stop();
}

// Builds the protocol, and stops the reactor if the connection cannot be made.
class HelloFactory(ReactorLoop reactor) : ClientFactory
{
    public override IProtocol BuildProtocol(System.Net.EndPoint address) => new Hello(reactor);

    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        Console.Error.WriteLine($"cannot connect: {reason.GetErrorMessage()}");
        reactor.Stop();
    }
}
