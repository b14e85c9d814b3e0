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
public class ThrottlingFactory : WrappingFactory
{
    private readonly ILogger _logger;
    private readonly Action _checkRead;
    private readonly Action _checkWrite;
    private readonly Action _unthrottleReads;
    private readonly Action _unthrottleWrites;
    private IDelayedCall? _checkReadCall;
    private IDelayedCall? _checkWriteCall;
    private IDelayedCall? _unthrottleReadsCall;
    private IDelayedCall? _unthrottleWritesCall;

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
        _checkRead = CheckReadBandwidth;
        _checkWrite = CheckWriteBandwidth;
        _unthrottleReads = UnthrottleReads;
        _unthrottleWrites = UnthrottleWrites;
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
    public long ReadThisSecond { get; private set; }

    /// <summary>Bytes written in the current one-second window.</summary>
    public long WrittenThisSecond { get; private set; }

    /// <summary>True while reads are paused for being over the limit.</summary>
    public bool ReadsThrottled => _unthrottleReadsCall is { Active: true };

    /// <summary>True while writes are paused for being over the limit.</summary>
    public bool WritesThrottled => _unthrottleWritesCall is { Active: true };

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
            if (ReadLimit is not null) CheckReadBandwidth();
            if (WriteLimit is not null) CheckWriteBandwidth();
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
        Cancel(ref _checkReadCall);
        Cancel(ref _checkWriteCall);
        Cancel(ref _unthrottleReadsCall);
        Cancel(ref _unthrottleWritesCall);
        ReadThisSecond = WrittenThisSecond = 0;
    }

    internal void RegisterRead(int count) => ReadThisSecond += count;

    internal void RegisterWritten(long count) => WrittenThisSecond += count;

    private void CheckReadBandwidth()
    {
        if (ReadThisSecond > ReadLimit!.Value)
        {
            var seconds = (double)ReadThisSecond / ReadLimit.Value - 1.0;
            ProtocolLog.ThrottlingReads(_logger, seconds);
            foreach (var p in Protocols) ((ThrottlingProtocol)p).ThrottleReads();
            Cancel(ref _unthrottleReadsCall);
            _unthrottleReadsCall = Clock.CallLater(TimeSpan.FromSeconds(seconds), _unthrottleReads);
        }
        ReadThisSecond = 0;
        _checkReadCall = Clock.CallLater(TimeSpan.FromSeconds(1), _checkRead);
    }

    private void CheckWriteBandwidth()
    {
        if (WrittenThisSecond > WriteLimit!.Value)
        {
            var seconds = (double)WrittenThisSecond / WriteLimit.Value - 1.0;
            ProtocolLog.ThrottlingWrites(_logger, seconds);
            foreach (var p in Protocols) ((ThrottlingProtocol)p).ThrottleWrites();
            Cancel(ref _unthrottleWritesCall);
            _unthrottleWritesCall = Clock.CallLater(TimeSpan.FromSeconds(seconds), _unthrottleWrites);
        }
        WrittenThisSecond = 0;
        _checkWriteCall = Clock.CallLater(TimeSpan.FromSeconds(1), _checkWrite);
    }

    private void UnthrottleReads()
    {
        _unthrottleReadsCall = null;
        ProtocolLog.ReadsUnthrottled(_logger);
        foreach (var p in Protocols) ((ThrottlingProtocol)p).UnthrottleReads();
    }

    private void UnthrottleWrites()
    {
        _unthrottleWritesCall = null;
        ProtocolLog.WritesUnthrottled(_logger);
        foreach (var p in Protocols) ((ThrottlingProtocol)p).UnthrottleWrites();
    }

    private static void Cancel(ref IDelayedCall? call)
    {
        if (call is { Active: true }) call.Cancel();
        call = null;
    }
}
