using System.Net;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Testing;

/// <summary>
/// Makes the connection attempts recorded by a <see cref="MemoryReactor"/> succeed or fail
/// (Twisted's <c>iosim.ConnectionCompleter</c>). A success connects the client's protocol to a
/// protocol from the server factory listening on the same port, through a <see cref="LoopbackPump"/>.
/// It completes the TCP attempts (<see cref="MemoryReactor.TcpClients"/>), as Twisted's does; any
/// attempt, UNIX and TLS included, can also be ended through its <see cref="FakeConnector"/>.
/// </summary>
public sealed class ConnectionCompleter
{
    private readonly MemoryReactor _reactor;
    private int _next;

    /// <summary>Completes attempts recorded by <paramref name="reactor"/>, oldest first.</summary>
    public ConnectionCompleter(MemoryReactor reactor) => _reactor = reactor ?? throw new ArgumentNullException(nameof(reactor));

    /// <summary>
    /// Connects the oldest attempt not yet completed to the server listening on its port and
    /// returns the pump (already flushed once, so greetings have been exchanged), or null when no
    /// attempt is pending or a factory refuses the connection.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// No server listens on the attempt's port, or the attempt already ended through its connector.
    /// </exception>
    public LoopbackPump? SucceedOnce()
    {
        if (_next >= _reactor.TcpClients.Count) return null;
        var client = _reactor.TcpClients[_next++];
        var server = _reactor.TcpServers.FirstOrDefault(s => s.Port == client.Port)
            ?? throw new InvalidOperationException($"No MemoryReactor server listens on port {client.Port}.");
        var serverAddress = new IPEndPoint(IPAddress.Loopback, client.Port);
        var clientAddress = new IPEndPoint(IPAddress.Loopback, 40000 + _next);
        var connector = _reactor.TcpConnector(_next - 1);
        var serverProtocol = server.Factory.BuildProtocol(clientAddress);
        var clientProtocol = connector.BeginConnection();
        if (serverProtocol is null || clientProtocol is null) return null;
        var pump = LoopbackPump.Connect(serverProtocol, clientProtocol, greet: true, serverAddress, clientAddress);
        connector.Attach(pump.ClientTransport);
        return pump;
    }

    /// <summary>
    /// Fails the oldest attempt not yet completed: its factory hears <paramref name="reason"/>
    /// (<see cref="ConnectionRefusedError"/> by default), through <see cref="FakeConnector.Fail"/>.
    /// False when no attempt is pending.
    /// </summary>
    /// <exception cref="InvalidOperationException">The attempt already ended through its connector.</exception>
    public bool FailOnce(ConnectError? reason = null)
    {
        if (_next >= _reactor.TcpClients.Count) return false;
        _reactor.TcpConnector(_next++).Fail(reason ?? new ConnectionRefusedError());
        return true;
    }
}
