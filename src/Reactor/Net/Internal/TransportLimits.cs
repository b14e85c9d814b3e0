using Reactor.Core;

namespace Reactor.Net.Internal;

/// <summary>The per-reactor defaults (and policy) a transport starts with (from <see cref="ReactorOptions"/>, checked when the reactor is created).</summary>
internal sealed record TransportLimits(long HighWaterMark, long LowWaterMark, TimeSpan TlsHandshakeTimeout, TimeSpan CloseTimeout,
    int WriteThroughThreshold, TimeSpan TlsCloseNotifyTimeout, TimeSpan AcceptRetryDelay)
{
    /// <summary>The defaults of a <see cref="ReactorOptions"/> left as it is.</summary>
    public static TransportLimits Default { get; } = From(new ReactorOptions());

    /// <summary>The limits of <paramref name="options"/>.</summary>
    public static TransportLimits From(ReactorOptions options) =>
        new(options.WriteHighWaterMark, options.WriteLowWaterMark, options.TlsHandshakeTimeout, options.CloseTimeout,
            options.WriteThroughThreshold, options.TlsCloseNotifyTimeout, options.AcceptRetryDelay);

    /// <summary>True when <paramref name="timeout"/> is a real limit (not infinite).</summary>
    public static bool IsFinite(TimeSpan timeout) => timeout != Timeout.InfiniteTimeSpan;
}
