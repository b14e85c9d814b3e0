using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Protocols;

#region protocol
/// <summary>Greets each visitor with its number, then closes the connection.</summary>
public sealed class Greeter(VisitorFactory factory) : Protocol
{
    public override void ConnectionMade()
    {
        factory.Current++;
        var greeting = $"Welcome, visitor {++factory.Total} ({factory.Current} here now)\r\n";
        Transport.Write(Encoding.ASCII.GetBytes(greeting));
        Transport.LoseConnection(); // after the greeting is sent
    }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        factory.Current--;
    }
}
#endregion

#region factory
/// <summary>The state every connection shares lives in the factory: one per listening port.</summary>
public sealed class VisitorFactory : Factory
{
    public int Total { get; set; }
    public int Current { get; set; }

    public override IProtocol BuildProtocol(EndPoint address) => new Greeter(this);
}
#endregion

/// <summary>The guide's listen snippet, runnable: listens on a free loopback port.</summary>
public static class VisitorServer
{
    public static IListeningPort Listen(ReactorLoop reactor)
    {
        #region listen
        var factory = new VisitorFactory();
        var port = reactor.ListenTcp(0, factory, @interface: "127.0.0.1"); // 0: any free port
        Console.WriteLine($"listening on {port.GetHost()}");
        #endregion
        return port;
    }
}
