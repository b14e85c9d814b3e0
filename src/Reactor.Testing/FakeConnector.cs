using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>
/// The connector a <see cref="MemoryReactor"/> returns for <c>ConnectTcp</c>, <c>ConnectUnix</c> and
/// <c>ConnectSsl</c>. It never connects by itself: the attempt stays pending until the test calls
/// <see cref="Succeed"/> or <see cref="Fail"/> (or a <see cref="ConnectionCompleter"/> does), so a
/// race between attempts is driven step by step.
/// </summary>
/// <remarks>
/// It keeps the factory life cycle of the reactor's own connectors, so code that relies on it can
/// be tested here: the factory's <c>DoStart</c> runs when the first attempt starts, each attempt is
/// announced with <c>StartedConnecting</c>, a failed attempt or an ended connection is reported
/// to the factory (which may call <see cref="Connect"/> again from that callback), and the
/// factory's <c>DoStop</c> runs once it did not. <see cref="StopConnecting"/> reports a
/// <see cref="UserError"/> to the factory, as the real connector does (Twisted's MemoryReactor
/// only sets a flag, ticket 5630). Exceptions thrown by the factory or the protocol reach the
/// caller of <see cref="Succeed"/>, <see cref="Fail"/> or <see cref="EndConnection"/>.
/// </remarks>
public sealed class FakeConnector : IConnector
{
    private readonly EndPoint _destination;
    private readonly ClientFactory _factory;
    private bool _factoryStarted;

    internal FakeConnector(EndPoint destination, ClientFactory factory)
    {
        _destination = destination;
        _factory = factory;
    }

    /// <summary>How many times <see cref="Connect"/> was called (a reconnection; the first attempt is not counted).</summary>
    public int ConnectCalls { get; private set; }

    /// <summary>True while an attempt is pending: until it succeeds, fails or is stopped.</summary>
    public bool Connecting { get; private set; }

    /// <summary>True from <see cref="Succeed"/> (or a <see cref="ConnectionCompleter"/> success) to <see cref="EndConnection"/>.</summary>
    public bool Connected { get; private set; }

    /// <summary>True once <see cref="StopConnecting"/> was called while an attempt was pending.</summary>
    public bool StoppedConnecting { get; private set; }

    /// <summary>True once <see cref="Disconnect"/> was called.</summary>
    public bool Disconnected { get; private set; }

    /// <summary>The transport of the current or last connection, or null if none was made.</summary>
    public ITransport? Transport { get; private set; }

    /// <summary>The protocol the factory built for the current or last connection, or null.</summary>
    public IProtocol? Protocol { get; private set; }

    /// <summary>Starts a new attempt after the last one failed or its connection ended (what a reconnecting factory does).</summary>
    /// <exception cref="InvalidOperationException">An attempt is pending or the connector is connected.</exception>
    public void Connect()
    {
        if (Connecting || Connected) throw new InvalidOperationException("Cannot connect while connecting or connected.");
        ConnectCalls++;
        Begin();
    }

    /// <summary>Abandons the pending attempt: the factory hears <c>ClientConnectionFailed</c> with a <see cref="UserError"/>.</summary>
    /// <exception cref="InvalidOperationException">No attempt is pending.</exception>
    public void StopConnecting()
    {
        if (!Connecting) throw new InvalidOperationException("StopConnecting called while not connecting.");
        StoppedConnecting = true;
        Fail(new UserError());
    }

    /// <summary>Stops the pending attempt, or closes the connection's transport (<c>LoseConnection</c>) when connected.</summary>
    public void Disconnect()
    {
        Disconnected = true;
        if (Connecting) StopConnecting();
        else if (Connected) Transport?.LoseConnection();
    }

    /// <inheritdoc/>
    public EndPoint GetDestination() => _destination;

    /// <summary>
    /// The pending attempt connects: the factory builds a protocol for the destination and it is
    /// connected to <paramref name="transport"/>. When the factory builds none, the transport is
    /// closed at once, as the reactor does.
    /// </summary>
    /// <param name="transport">
    /// The connection's transport; null for a new <see cref="StringTransport"/> whose peer is the
    /// destination, so the test can read what the protocol wrote.
    /// </param>
    /// <returns>The protocol the factory built, or null when it built none.</returns>
    /// <exception cref="InvalidOperationException">No attempt is pending.</exception>
    public IProtocol? Succeed(ITransport? transport = null)
    {
        var protocol = BeginConnection();
        Transport = transport ?? new StringTransport(peer: _destination);
        if (protocol is null) Transport.LoseConnection();
        else protocol.MakeConnection(Transport);
        return protocol;
    }

    /// <summary>
    /// The pending attempt fails: the factory hears <c>ClientConnectionFailed</c> with
    /// <paramref name="reason"/> (<see cref="ConnectionRefusedError"/> by default) and is stopped
    /// unless it reconnected from that callback.
    /// </summary>
    /// <exception cref="InvalidOperationException">No attempt is pending.</exception>
    public void Fail(Exception? reason = null)
    {
        if (!Connecting) throw new InvalidOperationException("No connection attempt is pending.");
        Connecting = false;
        _factory.ClientConnectionFailed(this, new Failure(reason ?? new ConnectionRefusedError()));
        StopFactoryIfIdle();
    }

    /// <summary>
    /// The connection ends: the protocol hears <c>ConnectionLost</c> with <paramref name="reason"/>
    /// (<see cref="ConnectionDone"/> by default), then the factory <c>ClientConnectionLost</c>; the
    /// factory is stopped unless it reconnected from that callback.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not connected.</exception>
    public void EndConnection(Exception? reason = null)
    {
        if (!Connected) throw new InvalidOperationException("Not connected.");
        Connected = false;
        var failure = new Failure(reason ?? new ConnectionDone());
        Protocol?.ConnectionLost(failure);
        _factory.ClientConnectionLost(this, failure);
        StopFactoryIfIdle();
    }

    /// <summary>Starts an attempt: the factory is started once per life and hears <c>StartedConnecting</c>.</summary>
    internal void Begin()
    {
        Connecting = true;
        if (!_factoryStarted)
        {
            _factory.DoStart();
            _factoryStarted = true;
        }
        _factory.StartedConnecting(this);
    }

    /// <summary>Ends the pending attempt as connected and returns the protocol the factory built for the destination (or null).</summary>
    internal IProtocol? BeginConnection()
    {
        if (!Connecting) throw new InvalidOperationException("No connection attempt is pending.");
        Connecting = false;
        Connected = true;
        Protocol = _factory.BuildProtocol(_destination);
        return Protocol;
    }

    /// <summary>Records the transport a <see cref="ConnectionCompleter"/> connected the protocol to.</summary>
    internal void Attach(ITransport transport) => Transport = transport;

    private void StopFactoryIfIdle()
    {
        // The factory did not reconnect from its callback: this connector's use of it is over.
        if (Connecting || Connected || !_factoryStarted) return;
        _factoryStarted = false;
        _factory.DoStop();
    }
}
