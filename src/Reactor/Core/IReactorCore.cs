using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Core;

/// <summary>Running and stopping a reactor, and its system events (Twisted's <c>IReactorCore</c>).</summary>
public interface IReactorCore
{
    /// <summary>True from the "during startup" phase until the reactor stops or crashes.</summary>
    bool Running { get; }

    /// <summary>
    /// Fires the startup event, then runs the loop on the calling thread until <see cref="Stop"/>
    /// has fired the shutdown event, or <see cref="Crash"/> is called. The reactor may be run
    /// again afterwards.
    /// </summary>
    /// <exception cref="ReactorStateError">The reactor is already running.</exception>
    void Run();

    /// <summary>
    /// Asks the reactor to stop: at the end of the current (or next) pass over due calls it fires
    /// the shutdown event — before, during (descriptors are disconnected), after — and then
    /// <see cref="Run"/> returns. Code after <c>Stop()</c> in the same callback still runs first.
    /// From a thread other than the reactor's, the request is handed over with CallFromThread.
    /// </summary>
    /// <exception cref="ReactorStateError">The reactor is not running, or is already stopping.</exception>
    void Stop();

    /// <summary>Leaves the loop at the end of the current iteration without firing shutdown triggers.</summary>
    void Crash();

    /// <summary>
    /// Runs one iteration: calls from threads, due timed calls, then one wait of at most
    /// <paramref name="timeout"/> (less if a timed call is due sooner) and the dispatch of what it
    /// reports. For embedding the loop in another (asyncore's <c>loop(count=1)</c>); the startup
    /// event is not fired.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ReactorStateError">Called from inside the loop, or while another thread runs it.</exception>
    void Iterate(TimeSpan timeout);

    /// <summary>
    /// Runs <paramref name="action"/> now if the reactor is running, otherwise once it is
    /// (an "after startup" trigger, in the order registered).
    /// </summary>
    /// <returns>The trigger's handle, or null when the action ran at once.</returns>
    SystemEventTrigger? CallWhenRunning(Action action);

    /// <summary>
    /// Runs <paramref name="action"/> in <paramref name="phase"/> of every later firing of
    /// <paramref name="systemEvent"/> (triggers run once per firing and are then consumed).
    /// </summary>
    /// <returns>A handle for <see cref="RemoveSystemEventTrigger"/>.</returns>
    SystemEventTrigger AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Action action);

    /// <summary>
    /// Like <see cref="AddSystemEventTrigger(TriggerPhase, SystemEvent, Action)"/>, for a trigger that
    /// may return a Deferred. In the <see cref="TriggerPhase.Before"/> phase, the during and after
    /// phases wait until every returned Deferred has fired — so a "before shutdown" trigger can
    /// finish asynchronous work (flush, say goodbye) while the loop keeps running, and
    /// <see cref="Run"/> returns only after it. A Deferred that fails is logged (its failure is
    /// consumed) and the event goes on. In the other phases the Deferred is not waited on.
    /// </summary>
    /// <returns>A handle for <see cref="RemoveSystemEventTrigger"/>.</returns>
    SystemEventTrigger AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Func<Deferred<object?>?> trigger);

    /// <summary>Removes a trigger before it runs.</summary>
    /// <exception cref="ArgumentException">The trigger was already removed or has already run.</exception>
    void RemoveSystemEventTrigger(SystemEventTrigger trigger);

    /// <summary>
    /// Fires <paramref name="systemEvent"/>: its before, during and after triggers, in that order.
    /// Firing an event that is already being fired does nothing.
    /// </summary>
    void FireSystemEvent(SystemEvent systemEvent);
}
