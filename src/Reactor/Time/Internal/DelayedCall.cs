using Reactor.Errors;

namespace Reactor.Time.Internal;

/// <summary>
/// The <see cref="IDelayedCall"/> returned by <c>CallLater(TimeSpan, Action)</c>: a heap entry the
/// caller holds on to, so it is never pooled (the caller may ask about it at any later time).
/// </summary>
internal sealed class DelayedCall : TimerEntry, IDelayedCall
{
    private Action? _action;

    internal DelayedCall(TimerQueue queue, Action action)
    {
        Queue = queue;
        _action = action;
    }

    public bool Active => State == TimerState.Pending;

    public TimeSpan GetTime() => TimeSpan.FromTicks(DueTicks);

    public void Cancel()
    {
        ThrowIfNotPending();
        Queue!.Cancel(this);
    }

    public void Reset(TimeSpan delayFromNow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delayFromNow, TimeSpan.Zero);
        ThrowIfNotPending();
        Queue!.Reschedule(this, TimerQueue.AddSaturating(Queue.NowTicks, delayFromNow.Ticks));
    }

    public void Delay(TimeSpan delay)
    {
        ThrowIfNotPending();
        Queue!.Reschedule(this, TimerQueue.AddSaturating(DueTicks, delay.Ticks));
    }

    internal override void Invoke() => _action!();

    // Drop the callable (and what it captured) as soon as it can never run, as Twisted does.
    internal override void Retire() => _action = null;

    private void ThrowIfNotPending()
    {
        if (State == TimerState.Called) throw new AlreadyCalled();
        if (State == TimerState.Cancelled) throw new AlreadyCancelled();
    }

    public override string ToString() =>
        $"<DelayedCall due={GetTime()} state={State}>";
}
