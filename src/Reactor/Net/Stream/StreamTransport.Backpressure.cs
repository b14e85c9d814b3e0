namespace Reactor.Net.Stream;

internal abstract partial class StreamTransport
{
    // Reading stopped because pending output passed the high-water mark and no producer is
    // registered to be paused instead (a peer that sends but never reads).
    private bool _pausedByOutput;

    /// <summary>True while reading is stopped because pending output is above the high-water mark.</summary>
    internal bool ReadingPausedByOutput => _pausedByOutput;

    /// <summary>
    /// Bounded output by default: with no producer registered, a transport whose pending output
    /// passes the high-water mark stops reading from its peer — a protocol that answers what it
    /// reads then cannot be made to buffer without limit by a peer that never reads — and reads
    /// again once the output drains to the low-water mark. A registered producer is paused instead.
    /// </summary>
    private void StopReadingIfOverHighWater()
    {
        if (_producer is not null || _pausedByOutput || _output.Length <= _highWaterMark) return;
        _pausedByOutput = true;
        StopReading();
    }

    /// <summary>Reads again once the output that stopped reading has drained to the low-water mark.</summary>
    private void ResumeReadingIfDrained()
    {
        if (!_pausedByOutput || _output.Length > _lowWaterMark) return;
        _pausedByOutput = false;
        if (MayRead) StartReading();
    }

    /// <summary>Whether reading should be on: nobody paused it and neither side closed it.</summary>
    private bool MayRead => _connected && !_pausedByProtocol && !_pausedByOutput && !_disconnecting && !_aborting && !_readClosed;
}
