using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Examples;
using Reactor.Examples.Echo;
using Reactor.Net;
using Reactor.Protocols;

const string Name = "Echo";
var options = ExampleHost.Parse(
    Name,
    "A TCP echo server: every byte a client sends comes back. After a client's FIN (half-close) it\n" +
    "sends whatever is still pending, then closes. In 'client' mode it sends standard input line by\n" +
    "line to --host:--port, prints what comes back, and half-closes at the end of input.",
    defaultPort: 8000, args, modes: ["client"], extraOptions: new Dictionary<string, string>(), out var exitCode);
if (options is null) return exitCode;

var reactor = ExampleHost.CreateReactor(options);
if (options.Mode == "client")
{
    var client = new EchoClient(reactor);
    if (options.Connect is not null)
    {
        var failed = false;
        ExampleEndpoints.Connect(Name, reactor, options.Connect, client, () => failed = true);
        ExampleHost.Run(reactor);
        return failed ? 1 : client.ExitCode;
    }
    var factory = new ReportingClientFactory(client, reactor);
    reactor.ConnectTcp(options.Host, options.Port, factory);
    ExampleHost.Run(reactor);
    return factory.Failed ? 1 : client.ExitCode;
}

var port = ExampleEndpoints.Listen(Name, reactor, options, Factory.For<EchoProtocol>());
if (port is null) return 1;
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);

/// <summary>Builds the one client protocol and stops the reactor if the connection cannot be made.</summary>
sealed class ReportingClientFactory(EchoClient client, ReactorLoop reactor) : ClientFactory(() => client)
{
    public bool Failed { get; private set; }

    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        Failed = true;
        Console.Error.WriteLine($"Echo client: cannot connect to {connector.GetDestination()}: {reason.GetErrorMessage()}");
        reactor.Stop();
    }
}
