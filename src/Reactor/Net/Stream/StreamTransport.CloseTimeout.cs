using Microsoft.Extensions.Logging;
using Reactor.Errors;
using Reactor.Net.Internal;
using Reactor.Time;

namespace Reactor.Net.Stream;

internal abstract partial class StreamTransport
{
    private IDelayedCall? _closeTimer;
    private long _outputAtCloseCheck;

    /// <summary>
    /// How long <c>LoseConnection</c> waits without the peer taking a single byte before it aborts
    /// (from <c>ReactorOptions.CloseTimeout</c>; infinite waits forever, as Twisted does).
    /// </summary>
    internal TimeSpan CloseTimeout { get; set; }

    /// <summary>
    /// <c>LoseConnection</c> found output the kernel would not take: watch it. A peer that never
    /// reads (a zero TCP window) would otherwise hold the connection, its descriptor and its
    /// output forever. The clock measures time without progress, not the whole close: a slow peer
    /// that keeps reading gets everything.
    /// </summary>
    private void WatchStuckClose()
    {
        if (_closeTimer is not null || !TransportLimits.IsFinite(CloseTimeout)) return;
        _outputAtCloseCheck = _output.Length;
        _closeTimer = Host.CallLater(CloseTimeout, CheckStuckClose);
    }

    private void CheckStuckClose()
    {
        _closeTimer = null;
        if (_lost || _aborting || _output.IsEmpty) return;
        if (_output.Length < _outputAtCloseCheck)
        {
            // The peer read something since the last look: give it another period.
            WatchStuckClose();
            return;
        }
        var pending = _output.Length;
        NetLog.CloseTimedOut(Host.Logger, this, pending, CloseTimeout);
        _aborting = true;
        DropOutput();
        _pendingLoss = new ConnectionAborted(
            $"LoseConnection gave up after {CloseTimeout.TotalSeconds:0.###} s in which the peer read none of the {pending} bytes still to send (a zero window); the connection was aborted (ReactorOptions.CloseTimeout).");
        RequestFlush();
    }

    /// <summary>The connection is over: the watch is no longer needed.</summary>
    private void StopWatchingClose()
    {
        if (_closeTimer is { Active: true } timer) timer.Cancel();
        _closeTimer = null;
    }
}
