using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Examples.PreforkEcho;
using Reactor.Protocols;
using Reactor.Selectors;

// PreforkEcho: the seeds' ForkingMixIn / pre-fork model. The parent opens one listening socket and
// starts --workers copies of itself with SpawnProcess, each given that socket as its descriptor 3;
// every worker adopts it (AdoptStreamPort) and serves Echo's protocol on its own reactor. The kernel
// hands each new connection to one of them. The parent restarts a worker that dies.
var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8000 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var workers = new Option<int>("--workers") { Description = "worker processes sharing the listening socket", DefaultValueFactory = _ => 4 };
var report = new Option<bool>("--report") { Description = "each worker reports every connection it accepts (relayed on the parent's stderr as \"worker N (pid P): connection from ADDRESS\")" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)" };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select");
var maxConnections = new Option<int>("--max-connections")
{
    Description = "each worker stops accepting while it holds this many connections, so the others take the next ones; 0 = no limit",
    DefaultValueFactory = _ => 0,
};
var fd = new Option<int>("--fd") { Description = "the inherited listening socket", DefaultValueFactory = _ => 3 };
var ipv6 = new Option<bool>("--ipv6") { Description = "the inherited socket is IPv6" };

var root = new RootCommand(
    "A TCP echo server (Echo's protocol: every byte comes back, and after a client's FIN the rest, then close) served by " +
    "--workers processes that share one listening socket. The first line of output is \"PreforkEcho listening on ADDRESS\"; " +
    "worker starts, exits and restarts are reported on stderr. SIGTERM or Ctrl-C stops the workers, then the parent.")
    { port, host, workers, report, selector, maxConnections };
var worker = new Command("worker", "(internal) one worker: adopts the listening socket on --fd and serves it until SIGTERM") { fd, ipv6, report, selector, maxConnections };
worker.Hidden = true;
root.Subcommands.Add(worker);
root.SetAction(parsed => Parent(parsed.GetValue(selector), parsed.GetValue(host)!, parsed.GetValue(port), parsed.GetValue(workers), parsed.GetValue(report), parsed.GetValue(maxConnections)));
worker.SetAction(parsed => Worker(parsed.GetValue(selector), parsed.GetValue(fd), parsed.GetValue(ipv6), parsed.GetValue(report), parsed.GetValue(maxConnections)));
return root.Parse(args).Invoke();

static int Parent(SelectorKind? selector, string host, int port, int workers, bool report, int maxConnections)
{
    if (workers < 1)
    {
        Console.Error.WriteLine("PreforkEcho: --workers must be at least 1");
        return 1;
    }
    if (maxConnections < 0)
    {
        Console.Error.WriteLine("PreforkEcho: --max-connections must be 0 (no limit) or more");
        return 1;
    }
    if (!IPAddress.TryParse(host, out var address))
    {
        Console.Error.WriteLine($"PreforkEcho: --host must be an IP address, not '{host}'");
        return 1;
    }
    // The one listening socket every worker shares (close-on-exec: only the map passes it on).
    using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(4096);
    }
    catch (SocketException error)
    {
        Console.Error.WriteLine($"PreforkEcho: cannot listen on {host}:{port}: {error.Message}");
        return 1;
    }
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    var workerArgs = new List<string> { "worker", "--fd", "3" };
    if (address.AddressFamily == AddressFamily.InterNetworkV6) workerArgs.Add("--ipv6");
    if (report) workerArgs.Add("--report");
    if (maxConnections > 0) workerArgs.AddRange(["--max-connections", maxConnections.ToString()]);
    if (selector is { } kind) workerArgs.AddRange(["--selector", kind.ToString().ToLowerInvariant()]);
    var pool = new WorkerPool(reactor, (int)listener.Handle, workers, workerArgs);
    reactor.CallWhenRunning(() =>
    {
        Console.WriteLine($"PreforkEcho listening on {listener.LocalEndPoint}");
        pool.StartAll();
    });
    // Before the reactor stops: TERM every worker and wait until all have ended.
    reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, pool.StopAll);
    reactor.Run();
    return 0;
}

static int Worker(SelectorKind? selector, int fd, bool ipv6, bool report, int maxConnections)
{
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = selector });
    var limit = new ConnectionLimit(maxConnections);
    var factory = Factory.ForProtocol(() => new EchoProtocol(report, limit));
    try
    {
        limit.Port = (IPushProducer)reactor.AdoptStreamPort(fd, ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, factory);
    }
    catch (ArgumentException error)
    {
        Console.Error.WriteLine($"PreforkEcho worker: descriptor {fd} is not a listening socket: {error.Message}");
        return 1;
    }
    // The reactor serves its own copy; ours is closed, as Twisted's adoptStreamPort asks.
    new SafeSocketHandle(fd, ownsHandle: true).Dispose();
    reactor.Run();
    return 0;
}

/// <summary>Echo's protocol (see examples/Echo), reporting each connection on stdout when asked.</summary>
sealed class EchoProtocol(bool report, ConnectionLimit limit) : Protocol, IHalfCloseableProtocol
{
    public override void ConnectionMade()
    {
        limit.Opened();
        if (report)
        {
            Console.WriteLine($"connection from {Transport.GetPeer()}");
            Console.Out.Flush();
        }
        Transport.RegisterProducer(Transport, streaming: true);
    }

    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);

    public void ReadConnectionLost() => Transport.LoseConnection();

    public void WriteConnectionLost() { }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        limit.Closed();
    }
}
