// The installed-package check: a fresh console project that takes Reactor from the local feed and
// echoes one message through a real loopback socket. Exit 0 only when the echo came back intact.
using System.Text;
using Reactor;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Protocols;

// Reactor runs on Linux, macOS and FreeBSD; saying so keeps the platform analyzer (CA1416) quiet.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

using var reactor = ReactorLoop.Create();
var server = reactor.ListenTcp(0, Factory.For<Echo>(), @interface: "127.0.0.1");
var port = ((System.Net.IPEndPoint)server.GetHost()).Port;
var client = new Ping(reactor);
reactor.ConnectTcp("127.0.0.1", port, new ClientFactory(() => client));
reactor.CallLater(TimeSpan.FromSeconds(30), () => { Console.Error.WriteLine("timed out"); reactor.Stop(); });
reactor.Run();
Console.WriteLine(client.Reply == "ping through the package" ? "echo round trip: OK" : $"echo round trip: FAILED ({client.Reply ?? "no reply"})");
return client.Reply == "ping through the package" ? 0 : 1;

class Echo : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}

class Ping(ReactorLoop reactor) : Protocol
{
    private readonly StringBuilder _received = new();

    public string? Reply { get; private set; }

    public override void ConnectionMade() => Transport.Write("ping through the package"u8);

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _received.Append(Encoding.UTF8.GetString(data));
        if (_received.Length < "ping through the package".Length) return;
        Reply = _received.ToString();
        Transport.LoseConnection();
    }

    public override void ConnectionLost(Failure reason) => reactor.Stop();
}
