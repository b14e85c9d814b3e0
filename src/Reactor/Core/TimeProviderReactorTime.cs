using Reactor.Errors;
using Reactor.Time.Internal;
using Reactor.Time;

namespace Reactor.Core;

/// <summary>
/// An <see cref="IReactorTime"/> over any <see cref="TimeProvider"/>: lets Reactor code that takes an
/// <see cref="IReactorTime"/> (LoopingCall, <c>AddTimeout</c>, policies...) run on .NET's time — a
/// <c>FakeTimeProvider</c> in tests, or <see cref="TimeProvider.System"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Now"/> is the provider's elapsed time since this object was created. Each
/// <see cref="CallLater"/> is one provider timer. Calls due at the same instant run in the order the
/// provider fires its timers (<see cref="Clock"/> and the reactor guarantee scheduling order; a
/// provider may not).
/// </para>
/// <para>
/// Where calls run: given a <c>dispatcher</c> (a reactor), every call is handed to it with
/// <see cref="IReactorFromThreads.CallFromThread"/>, so calls run on the reactor thread whatever thread
/// the provider's timers fire on. Without one, calls run on the provider's timer thread: synchronously
/// inside <c>FakeTimeProvider.Advance</c> (an exception propagates out of it, as from Twisted's
/// <c>Clock.advance</c>), or on a thread-pool thread for <see cref="TimeProvider.System"/> — where an
/// exception is unhandled, as from any <see cref="Timer"/> callback; pass a dispatcher there.
/// </para>
/// </remarks>
public sealed class TimeProviderReactorTime : IReactorTime
{
    private readonly long _start;
    private readonly IReactorFromThreads? _dispatcher;
    private readonly HashSet<ProviderCall> _pending = new();

    /// <summary>Creates the adapter.</summary>
    /// <param name="provider">The time source.</param>
    /// <param name="dispatcher">Where calls run (a reactor); null to run them on the provider's timer thread.</param>
    public TimeProviderReactorTime(TimeProvider provider, IReactorFromThreads? dispatcher = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Provider = provider;
        _dispatcher = dispatcher;
        _start = provider.GetTimestamp();
    }

    /// <summary>The provider this adapter reads and schedules on.</summary>
    public TimeProvider Provider { get; }

    /// <inheritdoc/>
    public TimeSpan Now => Provider.GetElapsedTime(_start);

    /// <inheritdoc/>
    public IDelayedCall CallLater(TimeSpan delay, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(action);
        var call = new ProviderCall(this, action, Now + delay);
        lock (_pending) _pending.Add(call);
        call.Start(delay);
        return call;
    }

    /// <inheritdoc/>
    public IReadOnlyList<IDelayedCall> GetDelayedCalls()
    {
        lock (_pending) return _pending.OrderBy(c => c.GetTime()).ToArray();
    }

    private void Remove(ProviderCall call)
    {
        lock (_pending) _pending.Remove(call);
    }

    /// <summary>One delayed call: a provider timer plus Twisted's DelayedCall state.</summary>
    private sealed class ProviderCall(TimeProviderReactorTime owner, Action action, TimeSpan due) : IDelayedCall
    {
        private readonly object _gate = new();
        private ITimer? _timer;
        private Action? _action = action;
        private TimeSpan _due = due;
        private int _state; // 0 pending, 1 called, 2 cancelled

        public bool Active
        {
            get { lock (_gate) return _state == 0; }
        }

        public TimeSpan GetTime()
        {
            lock (_gate) return _due;
        }

        internal void Start(TimeSpan delay)
        {
            var timer = owner.Provider.CreateTimer(static s => ((ProviderCall)s!).Due(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            lock (_gate) _timer = timer;
            // Armed after _timer is set: a provider that fires synchronously (a zero delay) finds it.
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }

        public void Cancel()
        {
            ITimer? timer;
            lock (_gate)
            {
                ThrowIfNotPending();
                _state = 2;
                _action = null;
                timer = _timer;
            }
            timer?.Dispose();
            owner.Remove(this);
        }

        public void Reset(TimeSpan delayFromNow)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delayFromNow, TimeSpan.Zero);
            Rearm(owner.Now + delayFromNow);
        }

        public void Delay(TimeSpan delay)
        {
            TimeSpan due;
            lock (_gate)
            {
                ThrowIfNotPending();
                due = _due + delay;
            }
            Rearm(due);
        }

        private void Rearm(TimeSpan due)
        {
            ITimer? timer;
            lock (_gate)
            {
                ThrowIfNotPending();
                _due = due;
                timer = _timer;
            }
            var wait = due - owner.Now;
            timer?.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
        }

        private void Due()
        {
            if (owner._dispatcher is { } dispatcher) dispatcher.CallFromThread(Run);
            else Run();
        }

        private void Run()
        {
            Action? action;
            lock (_gate)
            {
                // A Reset/Delay may have moved the deadline after the provider fired: wait for the new one.
                if (_state != 0 || _due > owner.Now) return;
                _state = 1; // called is set before the call runs, as in Twisted
                action = _action;
                _action = null;
            }
            _timer?.Dispose();
            owner.Remove(this);
            action!();
        }

        private void ThrowIfNotPending()
        {
            if (_state == 1) throw new AlreadyCalled();
            if (_state == 2) throw new AlreadyCancelled();
        }

        public override string ToString() => $"<ProviderCall due={GetTime()} active={Active}>";
    }
}
