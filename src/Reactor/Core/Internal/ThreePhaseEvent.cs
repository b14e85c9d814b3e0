using Microsoft.Extensions.Logging;
using Reactor.Defer;

namespace Reactor.Core.Internal;

/// <summary>
/// One system event and its before/during/after triggers (Twisted's <c>_ThreePhaseEvent</c>).
/// Triggers run in the order added and are consumed as they run; one added during a firing to a
/// phase not yet finished runs in that firing. A trigger that throws is logged and the others
/// still run. A before trigger may return a Deferred: the during and after phases wait until every
/// such Deferred has fired.
/// </summary>
internal sealed class ThreePhaseEvent(SystemEvent systemEvent, ILogger logger)
{
    private enum Stage { Idle, Before, WaitingForBefore, DuringAndAfter }

    private readonly List<SystemEventTrigger>[] _phases = [new(), new(), new()];
    private Stage _stage;
    private int _holds;
    private Action? _atDuringStart;

    /// <summary>Whether a firing is in progress (including waiting for before-phase holds).</summary>
    internal bool Firing => _stage != Stage.Idle;

    internal void Add(SystemEventTrigger trigger) => _phases[(int)trigger.Phase].Add(trigger);

    internal bool Remove(SystemEventTrigger trigger) => _phases[(int)trigger.Phase].Remove(trigger);

    /// <summary>
    /// Fires the event. <paramref name="atDuringStart"/> is the reactor's own work for this event
    /// (e.g. set Running, or crash and disconnect); it runs first in the during phase, and is not
    /// a consumable trigger.
    /// </summary>
    /// <returns>False if the event was already being fired (nothing happens then).</returns>
    internal bool Fire(Action? atDuringStart = null)
    {
        if (_stage != Stage.Idle) return false;
        _atDuringStart = atDuringStart;
        _stage = Stage.Before;
        _holds = 0;
        var before = _phases[(int)TriggerPhase.Before];
        while (before.Count > 0)
        {
            var trigger = before[0];
            before.RemoveAt(0);
            Run(trigger);
        }
        if (_holds > 0)
        {
            _stage = Stage.WaitingForBefore;
            return true;
        }
        ContinueFiring();
        return true;
    }

    /// <summary>Delays the next phases until the returned action runs (once).</summary>
    private Action HoldBefore()
    {
        _holds++;
        bool released = false;
        return () =>
        {
            if (released) return;
            released = true;
            _holds--;
            if (_holds == 0 && _stage == Stage.WaitingForBefore) ContinueFiring();
        };
    }

    private void ContinueFiring()
    {
        _stage = Stage.DuringAndAfter;
        try
        {
            var atStart = _atDuringStart;
            _atDuringStart = null;
            if (atStart is not null) RunGuarded(atStart, TriggerPhase.During);
            RunPhase(TriggerPhase.During);
            RunPhase(TriggerPhase.After);
        }
        finally
        {
            _stage = Stage.Idle;
        }
    }

    private void RunPhase(TriggerPhase phase)
    {
        var list = _phases[(int)phase];
        while (list.Count > 0)
        {
            var trigger = list[0];
            list.RemoveAt(0);
            Run(trigger);
        }
    }

    private void Run(SystemEventTrigger trigger)
    {
        try
        {
            switch (trigger.Callable)
            {
                case Action action:
                    action();
                    break;
                case Func<Deferred<object?>?> deferredTrigger:
                    var result = deferredTrigger();
                    if (result is not null) Observe(result, trigger.Phase);
                    break;
            }
        }
        catch (Exception ex)
        {
            CoreLog.TriggerFailed(logger, ex, trigger.Phase, systemEvent);
        }
    }

    /// <summary>
    /// A before trigger's Deferred holds the later phases until it fires (Twisted waits on a
    /// DeferredList of them). A failure is logged and consumed; it does not stop the event.
    /// A Deferred returned in the during or after phase is not waited on, but its failure is logged.
    /// </summary>
    private void Observe(Deferred<object?> result, TriggerPhase phase)
    {
        var release = _stage == Stage.Before ? HoldBefore() : null;
        result.AddBoth(outcome =>
        {
            if (outcome is Failure failure) CoreLog.TriggerFailed(logger, failure.Value, phase, systemEvent);
            release?.Invoke();
            return (object?)null;
        });
    }

    private void RunGuarded(Action action, TriggerPhase phase)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            CoreLog.TriggerFailed(logger, ex, phase, systemEvent);
        }
    }
}
