namespace Reactor.Defer;

/// <summary>
/// A lock for code that runs on the reactor thread and waits on Deferreds (Twisted's
/// <c>defer.DeferredLock</c>): <see cref="DeferredConcurrencyPrimitive{TSelf}.Acquire"/> fires when the
/// lock is yours; <see cref="DeferredConcurrencyPrimitive{TSelf}.Release"/> hands it to the next waiter.
/// </summary>
/// <remarks>Not a thread lock: it orders asynchronous work on one thread. See <see cref="DeferredConcurrencyPrimitive{TSelf}"/>.</remarks>
public sealed class DeferredLock : DeferredConcurrencyPrimitive<DeferredLock>
{
    /// <summary>Creates an unlocked lock.</summary>
    public DeferredLock()
    {
    }

    /// <summary>True while someone holds the lock (Twisted's <c>locked</c>).</summary>
    public bool Locked { get; private set; }

    private protected override bool TryTake()
    {
        if (Locked) return false;
        Locked = true;
        return true;
    }

    private protected override void Give()
    {
        // Twisted asserts "Tried to release an unlocked lock".
        if (!Locked) throw new InvalidOperationException("Tried to release an unlocked lock.");
        Locked = false;
    }
}
