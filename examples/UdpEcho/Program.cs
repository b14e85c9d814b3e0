using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.UdpEcho;
using Reactor.Net;
using Reactor.Net.Udp;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "UDP port to listen on (client: to send to); 0 picks a free port", DefaultValueFactory = _ => 8000 };
var host = new Option<string>("--host") { Description = "address to listen on (client: the IP address to send to); loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var timeout = new Option<double>("--timeout") { Description = "client: seconds to wait for missing replies after the end of input", DefaultValueFactory = _ => 2.0 };

var server = new RootCommand(
    "A UDP echo server: every datagram (up to 65,507 bytes over IPv4, 65,527 over IPv6) goes back to its sender, " +
    "from the port it listens on. Try: socat - UDP:127.0.0.1:PORT. The first line of output is " +
    "\"UdpEcho listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.") { port, host, selector };
var client = new Command("client",
    "Sends each line of standard input as one datagram to --host:--port and prints each reply. Exits 0 when every " +
    "datagram got its reply, 1 when some did not within --timeout or the port is closed.") { port, host, selector, timeout };
server.Subcommands.Add(client);

server.SetAction(parsed =>
{
    var address = parsed.GetValue(host)!;
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    IUdpPort listening;
    try
    {
        var maxPacketSize = address.Contains(':') ? IUdpPort.MaxIPv6Datagram : IUdpPort.MaxIPv4Datagram;
        listening = reactor.ListenUdp(parsed.GetValue(port), new UdpEchoProtocol(), address, maxPacketSize);
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"UdpEcho: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"UdpEcho listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
});

client.SetAction(parsed =>
{
    var address = parsed.GetValue(host)!;
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    var protocol = new UdpEchoClient(reactor, TimeSpan.FromSeconds(parsed.GetValue(timeout)));
    try
    {
        // A "connected" UDP port (Twisted's transport.connect): Write needs no address, and an ICMP
        // port-unreachable comes back as ConnectionRefused.
        var anyAddress = address.Contains(':') ? "::" : "0.0.0.0";
        var udp = reactor.ListenUdp(0, protocol, anyAddress, IUdpPort.MaxIPv6Datagram);
        udp.Connect(address, parsed.GetValue(port));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"UdpEcho client: {error.Message}");
        return 1;
    }
    reactor.Run();
    if (protocol.Problem is null) return 0;
    Console.Error.WriteLine($"UdpEcho client: {protocol.Problem}");
    return 1;
});
return server.Parse(args).Invoke();
