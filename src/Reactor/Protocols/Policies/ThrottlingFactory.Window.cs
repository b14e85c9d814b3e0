using Microsoft.Extensions.Logging;
using Reactor.Time;

namespace Reactor.Protocols.Policies;

public partial class ThrottlingFactory
{
    /// <summary>
    /// One direction's accounting (reads or writes): the bytes of the current one-second window,
    /// and, when a window went over the limit, the pause of every connection in that direction
    /// until the average is back at the limit. The two directions differ only in their limit,
    /// their log events and what they pause on each connection.
    /// </summary>
    private sealed class Window
    {
        private readonly ThrottlingFactory _owner;
        private readonly long? _limit;
        private readonly Action<ILogger, double> _logThrottled;
        private readonly Action<ILogger> _logReleased;
        private readonly Action<ThrottlingProtocol> _throttle;
        private readonly Action<ThrottlingProtocol> _release;
        private readonly Action _checkNow;
        private readonly Action _releaseNow;
        private IDelayedCall? _checkCall;
        private IDelayedCall? _releaseCall;

        public Window(ThrottlingFactory owner, long? limit, Action<ILogger, double> logThrottled, Action<ILogger> logReleased,
            Action<ThrottlingProtocol> throttle, Action<ThrottlingProtocol> release)
        {
            _owner = owner;
            _limit = limit;
            _logThrottled = logThrottled;
            _logReleased = logReleased;
            _throttle = throttle;
            _release = release;
            // Allocated once here, not at every CallLater.
            _checkNow = Check;
            _releaseNow = Release;
        }

        /// <summary>Bytes counted in the current window.</summary>
        public long ThisSecond { get; private set; }

        /// <summary>True while this direction is paused for being over the limit.</summary>
        public bool Throttled => _releaseCall is { Active: true };

        public void Add(long count) => ThisSecond += count;

        /// <summary>The first connection opened: start the windows (with a limit; without one, bytes are only counted).</summary>
        public void Open()
        {
            if (_limit is not null) Check();
        }

        /// <summary>The last connection closed: nothing left to throttle until the next one.</summary>
        public void Close()
        {
            Cancel(ref _checkCall);
            Cancel(ref _releaseCall);
            ThisSecond = 0;
        }

        private void Check()
        {
            var limit = _limit!.Value;
            if (ThisSecond > limit)
            {
                // Paused for (bytes / limit − 1) seconds, which brings the average back to the limit.
                var seconds = (double)ThisSecond / limit - 1.0;
                _logThrottled(_owner._logger, seconds);
                foreach (var p in _owner.Protocols) _throttle((ThrottlingProtocol)p);
                Cancel(ref _releaseCall);
                _releaseCall = _owner.Clock.CallLater(TimeSpan.FromSeconds(seconds), _releaseNow);
            }
            ThisSecond = 0;
            _checkCall = _owner.Clock.CallLater(TimeSpan.FromSeconds(1), _checkNow);
        }

        private void Release()
        {
            _releaseCall = null;
            _logReleased(_owner._logger);
            foreach (var p in _owner.Protocols) _release((ThrottlingProtocol)p);
        }
    }
}
