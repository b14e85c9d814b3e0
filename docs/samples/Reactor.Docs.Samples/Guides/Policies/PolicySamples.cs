using Reactor.Protocols;
using Reactor.Protocols.Policies;
using Reactor.Time;

namespace Reactor.Docs.Samples.Guides.Policies;

#region busy
/// <summary>What a client beyond the connection limit is told before it is hung up on.</summary>
public sealed class Busy : Protocol
{
    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        Transport.Write("busy, try later\r\n"u8);
        Transport.LoseConnection();
    }
}
#endregion

/// <summary>The policies guide's samples: wrapping factories around an application's own.</summary>
public static class PolicySamples
{
    #region guard
    /// <summary>
    /// Puts limits around <paramref name="application"/> without touching its code: at most
    /// <paramref name="maxConnections"/> at once (the rest hear <see cref="Busy"/>), and any
    /// connection silent for <paramref name="idle"/> is closed.
    /// </summary>
    public static IProtocolFactory Guard(IProtocolFactory application, IReactorTime clock, int maxConnections, TimeSpan idle)
    {
        var limited = new LimitTotalConnectionsFactory(application, maxConnections, overflowProtocol: () => new Busy());
        return new TimeoutFactory(limited, clock, idle);
    }
    #endregion

    #region throttle
    /// <summary>Bounds every connection together to about <paramref name="bytesPerSecond"/> read per second.</summary>
    public static ThrottlingFactory Throttle(IProtocolFactory application, IReactorTime clock, long bytesPerSecond) =>
        new(application, clock, readLimit: bytesPerSecond);
    #endregion

    #region log
    /// <summary>Writes every byte each connection reads and writes to <paramref name="log"/> (debugging a protocol).</summary>
    public static TrafficLoggingFactory Log(IProtocolFactory application, TextWriter log) =>
        new(application, log, lengthLimit: 200);
    #endregion
}
