using System.Net;

namespace Reactor.Protocols;

/// <summary>
/// The usual protocol factory (Twisted's <c>Factory</c>). <see cref="DoStart"/> and
/// <see cref="DoStop"/> are counted over the ports and connectors using the factory:
/// <see cref="StartFactory"/> runs when the first starts, <see cref="StopFactory"/> when the last stops.
/// </summary>
public class Factory : IProtocolFactory
{
    private readonly Func<EndPoint, IProtocol?>? _build;

    /// <summary>Creates a factory whose <see cref="BuildProtocol"/> must be overridden.</summary>
    protected Factory() { }

    /// <summary>Creates a factory that calls <paramref name="build"/> for each connection.</summary>
    protected Factory(Func<EndPoint, IProtocol?> build) => _build = build ?? throw new ArgumentNullException(nameof(build));

    /// <summary>How many ports and connectors currently use this factory.</summary>
    public int NumPorts { get; private set; }

    /// <summary>A factory that builds a new <typeparamref name="TProtocol"/> for each connection.</summary>
    public static Factory For<TProtocol>() where TProtocol : IProtocol, new() => new Factory(_ => new TProtocol());

    /// <summary>A factory that calls <paramref name="build"/> for each connection.</summary>
    public static Factory ForProtocol(Func<IProtocol?> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new Factory(_ => build());
    }

    /// <summary>A factory that calls <paramref name="build"/> with the connection's address.</summary>
    public static Factory ForProtocol(Func<EndPoint, IProtocol?> build) => new(build);

    /// <inheritdoc/>
    public virtual IProtocol? BuildProtocol(EndPoint address)
    {
        if (_build is null)
        {
            throw new InvalidOperationException($"{GetType().Name} must override BuildProtocol or be created with Factory.For / Factory.ForProtocol.");
        }
        var protocol = _build(address);
        if (protocol is Protocol p) p.Factory = this;
        return protocol;
    }

    /// <inheritdoc/>
    public void DoStart()
    {
        if (NumPorts++ == 0) StartFactory();
    }

    /// <inheritdoc/>
    public void DoStop()
    {
        if (NumPorts == 0) return;
        if (--NumPorts == 0) StopFactory();
    }

    /// <summary>Called when the first port or connector starts using the factory.</summary>
    public virtual void StartFactory() { }

    /// <summary>Called when the last port or connector stops using the factory.</summary>
    public virtual void StopFactory() { }
}
