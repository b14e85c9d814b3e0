namespace Reactor.Core;

/// <summary>A registered system event trigger: the handle <see cref="IReactorCore.RemoveSystemEventTrigger"/> takes.</summary>
public sealed class SystemEventTrigger
{
    /// <summary>
    /// Creates a trigger handle for another <see cref="IReactorCore"/> implementation (a test double such as
    /// Reactor.Testing's <c>MemoryReactor</c>), which keeps what the trigger runs itself.
    /// </summary>
    public SystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent)
    {
        Phase = phase;
        Event = systemEvent;
    }

    internal SystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Delegate callable)
        : this(phase, systemEvent) => Callable = callable;

    /// <summary>The phase the trigger runs in.</summary>
    public TriggerPhase Phase { get; }

    /// <summary>The event the trigger runs for.</summary>
    public SystemEvent Event { get; }

    /// <summary>An <see cref="Action"/>, or a function returning a Deferred (which, in the before phase, delays the next phases).</summary>
    internal Delegate? Callable { get; }

    /// <inheritdoc/>
    public override string ToString() => $"<SystemEventTrigger {Phase} {Event}>";
}
