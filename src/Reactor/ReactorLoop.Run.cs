using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Logging;
using Reactor.Native;

namespace Reactor;

public sealed partial class ReactorLoop
{
    private volatile bool _started; // Run is looping (read by Stop on other threads)
    private int _runNumber;         // counts Run calls, so a Stop handed over from another thread stops only the run it saw
    private bool _running;        // from during-startup until stop/crash
    private bool _stopRequested;  // Stop was called; shutdown fires at the end of the next pass
    private bool _stopping;       // from Stop until the shutdown event has fired
    private bool _iterating;      // an iteration is on the stack (re-entrancy guard)

    /// <inheritdoc/>
    public bool Running => _running;

    /// <inheritdoc/>
    public void Run()
    {
        ThrowIfDisposed();
        if (_started || _iterating) throw new ReactorStateError("The reactor is already running.");
        var previousContext = EnterReactorThread(out var previousLogger);
        Interlocked.Increment(ref _runNumber);
        _started = true;
        _stopping = false;
        _stopRequested = false;
        var signalHandlers = _installSignalHandlers ?? MainThread.IsCurrent() ? RegisterSignalHandlers() : null;
        try
        {
            // Running is set at the start of during-startup (Twisted's _reallyStartRunning):
            // before-startup triggers see Running == false, during and after see true.
            FireSystemEvent(SystemEvent.Startup);
            while (_started)
            {
                try
                {
                    IterateOnce(null);
                }
                catch (ReactorStateError) when (SelectorGaveUp)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    CoreLog.MainLoopFailed(Logger, ex);
                }
            }
        }
        finally
        {
            _started = false;
            _running = false;
            if (signalHandlers is not null) foreach (var handler in signalHandlers) handler.Dispose();
            LeaveReactorThread(previousContext, previousLogger);
        }
    }

    /// <summary>SIGINT / SIGTERM stop the reactor gracefully (the signal arrives on another thread: hand it over).</summary>
    private PosixSignalRegistration[] RegisterSignalHandlers()
    {
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we shut down ourselves, with triggers
            CallFromThread(() =>
            {
                if (_started && !_stopping) Stop();
            });
        }
        return
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <inheritdoc/>
    /// <remarks>
    /// From another thread the request is handed to the loop and applies to the run in progress when
    /// it was made: called while the reactor is not running it does nothing, so it can never stop a
    /// later <see cref="Run"/>.
    /// </remarks>
    public void Stop()
    {
        if (!IsInReactorThread)
        {
            // Flags belong to the loop thread; hand the request over, tagged with the run it is meant for.
            if (!_started) return;
            var run = Volatile.Read(ref _runNumber);
            CallFromThread(() =>
            {
                if (_started && !_stopping && _runNumber == run) Stop();
            });
            return;
        }
        if (!_started || _stopping) throw new ReactorStateError("Can't stop a reactor that isn't running.");
        _stopping = true;
        _stopRequested = true;
    }

    /// <inheritdoc/>
    public void Crash()
    {
        _started = false;
        _running = false;
    }

    /// <inheritdoc/>
    public void Iterate(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ThrowIfDisposed();
        if (_iterating) throw new ReactorStateError("Iterate cannot be called from inside the loop.");
        if (_started && !IsInReactorThread) throw new ReactorStateError("The reactor is running on another thread.");
        var previousContext = EnterReactorThread(out var previousLogger);
        try
        {
            IterateOnce(timeout);
        }
        finally
        {
            LeaveReactorThread(previousContext, previousLogger);
        }
    }

    /// <inheritdoc/>
    public SystemEventTrigger? CallWhenRunning(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_running)
        {
            action();
            return null;
        }
        return _triggers.Add(TriggerPhase.After, SystemEvent.Startup, action);
    }

    /// <inheritdoc/>
    public SystemEventTrigger AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _triggers.Add(phase, systemEvent, action);
    }

    /// <inheritdoc/>
    public SystemEventTrigger AddSystemEventTrigger(TriggerPhase phase, SystemEvent systemEvent, Func<Deferred<object?>?> trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return _triggers.Add(phase, systemEvent, trigger);
    }

    /// <inheritdoc/>
    public void RemoveSystemEventTrigger(SystemEventTrigger trigger) => _triggers.Remove(trigger);

    /// <inheritdoc/>
    public void FireSystemEvent(SystemEvent systemEvent)
    {
        switch (systemEvent)
        {
            case SystemEvent.Startup:
                _triggers[systemEvent].Fire(() => _running = true);
                break;
            case SystemEvent.Shutdown:
                _triggers[systemEvent].Fire(ShutDownNow);
                break;
            default:
                _triggers[systemEvent].Fire();
                break;
        }
    }

    /// <summary>The reactor's own during-shutdown work (Twisted's crash + disconnectAll triggers).</summary>
    private void ShutDownNow()
    {
        Crash();
        DisconnectAll();
    }

    /// <summary>
    /// Makes this thread the reactor's while it runs or iterates: its SynchronizationContext (awaits
    /// resume on the loop) and its logger for reports made on the thread (a Deferred's unhandled
    /// failure reaches this reactor's logger, not another's). <see cref="LeaveReactorThread"/> restores both.
    /// </summary>
    private SynchronizationContext? EnterReactorThread(out ILogger? previousLogger)
    {
        Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        previousLogger = ReactorThreadLogger.Enter(Logger);
        return previous;
    }

    private static void LeaveReactorThread(SynchronizationContext? previousContext, ILogger? previousLogger)
    {
        ReactorThreadLogger.Leave(previousLogger);
        SynchronizationContext.SetSynchronizationContext(previousContext);
    }

    /// <summary>One iteration; <paramref name="maxWait"/> bounds the selector wait (null: no bound).</summary>
    private void IterateOnce(TimeSpan? maxWait)
    {
        _iterating = true;
        var timing = _coreInstruments.TimingIterations;
        long started = timing ? Stopwatch.GetTimestamp() : 0, waited = 0;
        try
        {
            RunUntilCurrent();
            FlushPending();

            // Run's loop that has just crashed or shut down polls once and leaves: never block then.
            TimeSpan? wait = maxWait is null && !_started ? TimeSpan.Zero : TimeUntilNextWork();
            if (maxWait is { } bound && (wait is null || wait > bound)) wait = bound;
            // A flush asked for during the flush above (a transport flushing another) is work now:
            // poll instead of sleeping, or it would wait for an unrelated event or timer.
            if (_flushQueue.Count > 0) wait = TimeSpan.Zero;

            wait = PrepareToSleep(wait);
            int n;
            long waitStarted = timing ? Stopwatch.GetTimestamp() : 0;
            try
            {
                n = _selector.Wait(_events, wait);
                _selectorFailures = 0;
            }
            catch (Exception ex)
            {
                SelectorFailed(ex);
                return;
            }
            finally
            {
                WokeUp();
            }
            if (timing) waited = Stopwatch.GetTimestamp() - waitStarted;
            for (int i = 0; i < n; i++) Dispatch(_events[i]);
            FlushPending();
        }
        finally
        {
            _iterating = false;
            if (timing) _coreInstruments.IterationDone(Stopwatch.GetTimestamp() - started - waited);
        }
    }

    /// <summary>Thread calls, then due timed calls, then the shutdown event if Stop was called (Twisted's runUntilCurrent).</summary>
    private void RunUntilCurrent()
    {
        _threadCalls.RunPending(Logger);
        _timers.RunDue();
        if (_stopRequested)
        {
            _stopRequested = false;
            FireSystemEvent(SystemEvent.Shutdown);
        }
    }
}
