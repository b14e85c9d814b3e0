using Reactor;
using Reactor.Examples;
using Reactor.Examples.UdpEcho;
using Reactor.Net;

const string Name = "UdpEcho";
var options = ExampleHost.Parse(
    Name,
    "A UDP echo server: every datagram (up to 65,507 bytes over IPv4, 65,527 over IPv6) goes back\n" +
    "to its sender, from the port it listens on. Try: socat - UDP:127.0.0.1:PORT",
    defaultPort: 8000, args, modes: [], extraOptions: new Dictionary<string, string>(), out var exitCode);
if (options is null) return exitCode;
if (options.Listen is not null)
{
    // Endpoint strings describe stream servers; a datagram port is chosen with --port and --host.
    Console.Error.WriteLine($"{Name}: --listen takes stream endpoints; use --port and --host for UDP (see --help)");
    return 2;
}

var reactor = ExampleHost.CreateReactor(options);
var maxPacketSize = options.Host.Contains(':') ? UdpPort.MaxIPv6Datagram : UdpPort.MaxIPv4Datagram;
UdpPort port;
try
{
    port = reactor.ListenUdp(options.Port, new UdpEchoProtocol(), options.Host, maxPacketSize);
}
catch (Exception ex) when (ex is CannotListenError or ArgumentException)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return 1;
}
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
