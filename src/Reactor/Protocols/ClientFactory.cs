using Reactor.Defer;

namespace Reactor.Protocols;

/// <summary>A factory for outgoing connections, told how each attempt goes (Twisted's <c>ClientFactory</c>).</summary>
public class ClientFactory : Factory
{
    /// <summary>Creates a factory whose <see cref="Factory.BuildProtocol"/> must be overridden.</summary>
    protected ClientFactory() { }

    /// <summary>Creates a client factory that calls <paramref name="build"/> for each connection.</summary>
    public ClientFactory(Func<IProtocol?> build) : base(_ => build()) => ArgumentNullException.ThrowIfNull(build);

    /// <summary>A connection attempt has started.</summary>
    public virtual void StartedConnecting(IConnector connector) { }

    /// <summary>A connection attempt failed: refused, timed out, unresolvable, or stopped.</summary>
    public virtual void ClientConnectionFailed(IConnector connector, Failure reason) { }

    /// <summary>An established connection was lost.</summary>
    public virtual void ClientConnectionLost(IConnector connector, Failure reason) { }
}
