using Reactor.Errors;

namespace Reactor.Time.Internal;

/// <summary>
/// How a pooled call appears in <c>GetDelayedCalls()</c>: an <see cref="IDelayedCall"/> bound to
/// one use of the entry, so it cannot touch the entry once it has been recycled.
/// </summary>
internal sealed class PooledCallView(TimerHandle handle) : IDelayedCall
{
    public bool Active => handle.Active;

    public TimeSpan GetTime() => handle.GetTime();

    public void Cancel()
    {
        if (!handle.TryCancel()) throw new AlreadyCalled("The pooled call has already run or been cancelled.");
    }

    public void Reset(TimeSpan delayFromNow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delayFromNow, TimeSpan.Zero);
        var entry = handle.LiveEntry ?? throw new AlreadyCalled("The pooled call has already run or been cancelled.");
        entry.Queue!.Reschedule(entry, TimerQueue.AddSaturating(entry.Queue.NowTicks, delayFromNow.Ticks));
    }

    public void Delay(TimeSpan delay)
    {
        var entry = handle.LiveEntry ?? throw new AlreadyCalled("The pooled call has already run or been cancelled.");
        entry.Queue!.Reschedule(entry, TimerQueue.AddSaturating(entry.DueTicks, delay.Ticks));
    }
}
