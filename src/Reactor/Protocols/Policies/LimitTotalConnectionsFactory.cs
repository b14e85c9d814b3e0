using System.Net;

namespace Reactor.Protocols.Policies;

/// <summary>
/// Limits how many connections are open at once (Twisted's <c>LimitTotalConnectionsFactory</c>):
/// past <see cref="ConnectionLimit"/>, a new connection is refused (closed at once), or served by
/// <see cref="OverflowProtocol"/> when one is given (such connections count too).
/// </summary>
public class LimitTotalConnectionsFactory : WrappingFactory
{
    /// <summary>Wraps <paramref name="wrappedFactory"/>.</summary>
    /// <param name="wrappedFactory">The factory for connections within the limit.</param>
    /// <param name="connectionLimit">The most connections at once; null for no limit.</param>
    /// <param name="overflowProtocol">Builds the protocol for connections past the limit (e.g. one that says "busy" and closes); null to refuse them.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connectionLimit"/> is negative.</exception>
    public LimitTotalConnectionsFactory(IProtocolFactory wrappedFactory, int? connectionLimit = null, Func<IProtocol>? overflowProtocol = null)
        : base(wrappedFactory)
    {
        if (connectionLimit is { } limit) ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(connectionLimit));
        ConnectionLimit = connectionLimit;
        OverflowProtocol = overflowProtocol;
    }

    /// <summary>The most connections at once, or null for no limit.</summary>
    public int? ConnectionLimit { get; }

    /// <summary>Builds the protocol for connections past the limit, or null to refuse them.</summary>
    public Func<IProtocol>? OverflowProtocol { get; }

    /// <summary>Connections built and not yet lost (overflow connections included).</summary>
    public int ConnectionCount { get; private set; }

    /// <inheritdoc/>
    public override IProtocol? BuildProtocol(EndPoint address)
    {
        IProtocol? inner;
        if (ConnectionLimit is not { } limit || ConnectionCount < limit) inner = WrappedFactory.BuildProtocol(address);
        else if (OverflowProtocol is null) return null;
        else inner = OverflowProtocol();
        if (inner is null) return null;
        if (inner is Protocol p) p.Factory ??= this;
        ConnectionCount++;
        return WrapProtocol(inner);
    }

    /// <inheritdoc/>
    public override void UnregisterProtocol(ProtocolWrapper protocol)
    {
        base.UnregisterProtocol(protocol);
        ConnectionCount--;
    }
}
