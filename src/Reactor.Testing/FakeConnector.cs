using System.Net;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>The connector a <see cref="MemoryReactor"/> returns: it never connects by itself, it only records calls.</summary>
public sealed class FakeConnector : IConnector
{
    private readonly EndPoint _destination;

    internal FakeConnector(EndPoint destination) => _destination = destination;

    /// <summary>How many times <see cref="Connect"/> was called.</summary>
    public int ConnectCalls { get; private set; }

    /// <summary>True once <see cref="StopConnecting"/> was called.</summary>
    public bool StoppedConnecting { get; private set; }

    /// <summary>True once <see cref="Disconnect"/> was called.</summary>
    public bool Disconnected { get; private set; }

    /// <inheritdoc/>
    public void Connect() => ConnectCalls++;

    /// <inheritdoc/>
    public void StopConnecting() => StoppedConnecting = true;

    /// <inheritdoc/>
    public void Disconnect() => Disconnected = true;

    /// <inheritdoc/>
    public EndPoint GetDestination() => _destination;
}
