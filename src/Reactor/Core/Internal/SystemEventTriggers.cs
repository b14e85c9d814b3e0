using Microsoft.Extensions.Logging;

namespace Reactor.Core.Internal;

/// <summary>The triggers of every system event of one reactor.</summary>
internal sealed class SystemEventTriggers
{
    private readonly ThreePhaseEvent[] _events;

    internal SystemEventTriggers(ILogger logger)
    {
        _events = new ThreePhaseEvent[Enum.GetValues<SystemEvent>().Length];
        for (int i = 0; i < _events.Length; i++) _events[i] = new ThreePhaseEvent((SystemEvent)i, logger);
    }

    internal ThreePhaseEvent this[SystemEvent systemEvent] => _events[Index(systemEvent)];

    internal SystemEventTrigger Add(TriggerPhase phase, SystemEvent systemEvent, Delegate callable)
    {
        ArgumentNullException.ThrowIfNull(callable);
        if (phase is < TriggerPhase.Before or > TriggerPhase.After)
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "Not a trigger phase.");
        var trigger = new SystemEventTrigger(phase, systemEvent, callable);
        _events[Index(systemEvent)].Add(trigger);
        return trigger;
    }

    internal void Remove(SystemEventTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!_events[Index(trigger.Event)].Remove(trigger))
            throw new ArgumentException("The trigger is not registered: it was already removed or has already run.", nameof(trigger));
    }

    private int Index(SystemEvent systemEvent)
    {
        int i = (int)systemEvent;
        if ((uint)i >= (uint)_events.Length)
            throw new ArgumentOutOfRangeException(nameof(systemEvent), systemEvent, "Not a system event.");
        return i;
    }
}
