using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Protocols;

/// <summary>
/// The base class users derive from (Twisted's <c>Protocol</c>): override
/// <see cref="ConnectionMade"/>, <see cref="DataReceived"/> and <see cref="ConnectionLost"/>.
/// </summary>
public abstract class Protocol : IProtocol
{
    private ITransport? _transport;

    /// <summary>The connection; available from <see cref="ConnectionMade"/> on.</summary>
    /// <exception cref="InvalidOperationException">The protocol is not connected yet.</exception>
    public ITransport Transport
    {
        get => _transport ?? throw new InvalidOperationException("The protocol has no transport yet: MakeConnection has not been called.");
        protected set => _transport = value;
    }

    /// <summary>The transport, or null before <see cref="MakeConnection"/>.</summary>
    protected ITransport? TransportOrNull => _transport;

    /// <summary>True between <see cref="MakeConnection"/> and <see cref="ConnectionLost"/>.</summary>
    public bool Connected { get; private set; }

    /// <summary>The factory that built this protocol, if one did.</summary>
    public IProtocolFactory? Factory { get; set; }

    /// <inheritdoc/>
    public virtual void MakeConnection(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        Connected = true;
        ConnectionMade();
    }

    /// <summary>Called once the connection is established and <see cref="Transport"/> is set.</summary>
    public virtual void ConnectionMade() { }

    /// <inheritdoc/>
    public virtual void DataReceived(ReadOnlySpan<byte> data) { }

    /// <inheritdoc/>
    public virtual void ConnectionLost(Failure reason) => Connected = false;
}
