using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;

namespace Reactor.Examples;

/// <summary>
/// The examples' <c>--listen ENDPOINT</c> and <c>--connect ENDPOINT</c> options: endpoint description
/// strings (<see cref="EndpointStrings"/>) that point an example anywhere — <c>tcp6:8000:interface=\:\:1</c>,
/// <c>unix:/tmp/echo.sock</c>, <c>ssl:8443:privateKey=key.pem:certKey=cert.pem</c>, <c>tls:example.com:443</c> —
/// instead of the short <c>--port</c> / <c>--host</c>.
/// </summary>
public static class ExampleEndpoints
{
    /// <summary>The server description the short options stand for: TCP on --host (IPv4 or IPv6) and --port.</summary>
    public static string DefaultListen(ExampleOptions options)
    {
        var kind = IPAddress.TryParse(options.Host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? "tcp6" : "tcp";
        return $"{kind}:{options.Port}:interface={EndpointDescription.Quote(options.Host)}:backlog={ExampleHost.Backlog}";
    }

    /// <summary>
    /// Listens where <c>--listen</c> says, or else on <paramref name="fallback"/> (by default what
    /// --port and --host say). Prints the reason to stderr and returns null when it cannot.
    /// </summary>
    public static IListeningPort? Listen(string name, ReactorLoop reactor, ExampleOptions options, IProtocolFactory factory, string? fallback = null)
    {
        var description = options.Listen ?? fallback ?? DefaultListen(options);
        IStreamServerEndpoint endpoint;
        try
        {
            endpoint = EndpointStrings.ServerFromString(reactor, description);
        }
        catch (Exception ex) when (ex is EndpointParseError or ArgumentException)
        {
            Console.Error.WriteLine($"{name}: {ex.Message}");
            return null;
        }
        IListeningPort? port = null;
        Failure? failure = null;
        // Server endpoints listen at once: the Deferred has its result when Listen returns.
        endpoint.Listen(factory).AddCallbacks<object?>(p => port = p, f =>
        {
            failure = f;
            return null;
        });
        if (port is null) Console.Error.WriteLine($"{name}: {failure?.Value.Message ?? $"could not listen on {description}"}");
        return port;
    }

    /// <summary>
    /// Connects <paramref name="protocol"/> to the <c>--connect</c> endpoint. On failure it prints the
    /// reason, calls <paramref name="onFailure"/> and stops the reactor.
    /// </summary>
    public static void Connect(string name, ReactorLoop reactor, string description, IProtocol protocol, Action onFailure)
    {
        EndpointStrings.ClientFromString(reactor, description).ConnectProtocol(protocol).AddErrback(failure =>
        {
            Console.Error.WriteLine($"{name}: cannot connect to {description}: {failure.GetErrorMessage()}");
            onFailure();
            if (reactor.Running) reactor.Stop();
        });
    }

    /// <summary>Checks the syntax of an endpoint option (the endpoint itself is built once the reactor exists).</summary>
    internal static string? SyntaxError(string description)
    {
        try
        {
            EndpointDescription.Parse(description);
            return null;
        }
        catch (EndpointParseError ex)
        {
            return ex.Message;
        }
    }
}
