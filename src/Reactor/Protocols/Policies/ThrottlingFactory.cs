using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Time;
using Reactor.Protocols.Internal;

namespace Reactor.Protocols.Policies;

/// <summary>
/// Limits the number of connections and the bytes read and written per second over all of them
/// (Twisted's <c>ThrottlingFactory</c>).
/// </summary>
/// <remarks>
/// <para>Bytes are counted per one-second window while any connection is open. When a window
/// has read more than <see cref="ReadLimit"/>, every connection's transport is paused (it stops
/// reading) for (bytes / limit − 1) seconds, which brings the average back to the limit; the
/// same for writes over <see cref="WriteLimit"/>, by pausing each connection's registered
/// producer — as in Twisted, writes made without a producer cannot be held back.</para>
/// <para>Connections past <see cref="MaxConnectionCount"/> are refused (closed at once).</para>
/// </remarks>
public partial class ThrottlingFactory : WrappingFactory
{
    private readonly ILogger _logger;
    private readonly Window _reads;
    private readonly Window _writes;

    /// <summary>Wraps <paramref name="wrappedFactory"/>.</summary>
    /// <param name="wrappedFactory">The factory that builds the real protocols.</param>
    /// <param name="clock">The reactor (or a <see cref="Clock"/> in tests).</param>
    /// <param name="maxConnectionCount">The most connections at once.</param>
    /// <param name="readLimit">The most bytes read per second over all connections; null for no limit.</param>
    /// <param name="writeLimit">The most bytes written per second over all connections; null for no limit.</param>
    /// <param name="logger">Where throttling is reported (debug level); none by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive.</exception>
    public ThrottlingFactory(IProtocolFactory wrappedFactory, IReactorTime clock, int maxConnectionCount = int.MaxValue,
        long? readLimit = null, long? writeLimit = null, ILogger? logger = null)
        : base(wrappedFactory)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConnectionCount);
        if (readLimit is { } r) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(r, nameof(readLimit));
        if (writeLimit is { } w) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w, nameof(writeLimit));
        MaxConnectionCount = maxConnectionCount;
        ReadLimit = readLimit;
        WriteLimit = writeLimit;
        _logger = logger ?? NullLogger.Instance;
        _reads = new Window(this, readLimit, ProtocolLog.ThrottlingReads, ProtocolLog.ReadsUnthrottled,
            static p => p.ThrottleReads(), static p => p.UnthrottleReads());
        _writes = new Window(this, writeLimit, ProtocolLog.ThrottlingWrites, ProtocolLog.WritesUnthrottled,
            static p => p.ThrottleWrites(), static p => p.UnthrottleWrites());
    }

    /// <summary>The clock that times the windows.</summary>
    public IReactorTime Clock { get; }

    /// <summary>The most connections at once.</summary>
    public int MaxConnectionCount { get; }

    /// <summary>The most bytes read per second, or null.</summary>
    public long? ReadLimit { get; }

    /// <summary>The most bytes written per second, or null.</summary>
    public long? WriteLimit { get; }

    /// <summary>Open connections built by this factory.</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>Bytes read in the current one-second window.</summary>
    public long ReadThisSecond => _reads.ThisSecond;

    /// <summary>Bytes written in the current one-second window.</summary>
    public long WrittenThisSecond => _writes.ThisSecond;

    /// <summary>True while reads are paused for being over the limit.</summary>
    public bool ReadsThrottled => _reads.Throttled;

    /// <summary>True while writes are paused for being over the limit.</summary>
    public bool WritesThrottled => _writes.Throttled;

    /// <inheritdoc/>
    public override IProtocol? BuildProtocol(EndPoint address)
    {
        if (ConnectionCount >= MaxConnectionCount)
        {
            ProtocolLog.MaxConnectionsReached(_logger, MaxConnectionCount, address);
            return null;
        }
        var protocol = base.BuildProtocol(address);
        if (protocol is null) return null;
        if (ConnectionCount == 0)
        {
            _reads.Open();
            _writes.Open();
        }
        ConnectionCount++;
        return protocol;
    }

    /// <inheritdoc/>
    protected override ProtocolWrapper WrapProtocol(IProtocol protocol) => new ThrottlingProtocol(this, protocol);

    /// <inheritdoc/>
    public override void UnregisterProtocol(ProtocolWrapper protocol)
    {
        base.UnregisterProtocol(protocol);
        if (--ConnectionCount > 0) return;
        // Nothing left to throttle: stop the windows until the next connection.
        _reads.Close();
        _writes.Close();
    }

    internal void RegisterRead(int count) => _reads.Add(count);

    internal void RegisterWritten(long count) => _writes.Add(count);

    private static void Cancel(ref IDelayedCall? call)
    {
        if (call is { Active: true }) call.Cancel();
        call = null;
    }
}
