using System.Net;
using Reactor.Defer;

namespace Reactor.Protocols.Policies;

/// <summary>
/// Wraps another factory: each protocol it builds is wrapped in a <see cref="ProtocolWrapper"/>
/// (or what <see cref="WrapProtocol"/> returns), and the live wrappers are tracked in
/// <see cref="Protocols"/> (Twisted's <c>WrappingFactory</c>). Start/stop and client
/// notifications are passed on to the wrapped factory.
/// </summary>
public class WrappingFactory : ClientFactory
{
    private readonly HashSet<ProtocolWrapper> _protocols = [];

    /// <summary>Wraps <paramref name="wrappedFactory"/>.</summary>
    public WrappingFactory(IProtocolFactory wrappedFactory) =>
        WrappedFactory = wrappedFactory ?? throw new ArgumentNullException(nameof(wrappedFactory));

    /// <summary>The factory that builds the real protocols.</summary>
    public IProtocolFactory WrappedFactory { get; }

    /// <summary>The wrappers whose connection is live.</summary>
    public IReadOnlyCollection<ProtocolWrapper> Protocols => _protocols;

    /// <summary>Builds the wrapped factory's protocol and wraps it; null (refused) if that factory refuses.</summary>
    public override IProtocol? BuildProtocol(EndPoint address)
    {
        var inner = WrappedFactory.BuildProtocol(address);
        return inner is null ? null : WrapProtocol(inner);
    }

    /// <summary>Wraps one protocol. Override to use a <see cref="ProtocolWrapper"/> subclass.</summary>
    protected virtual ProtocolWrapper WrapProtocol(IProtocol protocol) => new(this, protocol);

    /// <summary>Called by a wrapper when its connection is made.</summary>
    public virtual void RegisterProtocol(ProtocolWrapper protocol) => _protocols.Add(protocol);

    /// <summary>Called by a wrapper when its connection is lost.</summary>
    public virtual void UnregisterProtocol(ProtocolWrapper protocol) => _protocols.Remove(protocol);

    /// <inheritdoc/>
    public override void StartFactory() => WrappedFactory.DoStart();

    /// <inheritdoc/>
    public override void StopFactory() => WrappedFactory.DoStop();

    /// <inheritdoc/>
    public override void StartedConnecting(IConnector connector) => (WrappedFactory as ClientFactory)?.StartedConnecting(connector);

    /// <inheritdoc/>
    public override void ClientConnectionFailed(IConnector connector, Failure reason) =>
        (WrappedFactory as ClientFactory)?.ClientConnectionFailed(connector, reason);

    /// <inheritdoc/>
    public override void ClientConnectionLost(IConnector connector, Failure reason) =>
        (WrappedFactory as ClientFactory)?.ClientConnectionLost(connector, reason);
}
